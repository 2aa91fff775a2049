package io.distillmesh.evaluator.metrics;

import io.distillmesh.core.eval.ArgMax;

/**
 * Adds up {@link ClassifierMetrics} sample by sample, from the classifier's logits, the true label and the
 * teacher's log-probabilities at T = 1. Everything is computed in double precision with a stable log-softmax.
 */
public final class ClassifierMetricsAccumulator {
    private final int classes;
    private final long[] seen;
    private final long[] correct;
    private long samples;
    private long agreements;
    private double crossEntropySum;
    private double klSum;

    public ClassifierMetricsAccumulator(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        this.classes = classes;
        this.seen = new long[classes];
        this.correct = new long[classes];
    }

    public void add(float[] logits, int label, double[] teacherLogProbs) {
        if (logits.length != classes || teacherLogProbs.length != classes) {
            throw new IllegalArgumentException("expected " + classes + " logits and teacher log-probabilities, got "
                    + logits.length + " and " + teacherLogProbs.length);
        }
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + label + " is not a class in [0, " + classes + ")");
        }
        double[] logQ = logSoftmax(logits);
        int predicted = ArgMax.of(logQ);
        seen[label]++;
        if (predicted == label) {
            correct[label]++;
        }
        if (predicted == ArgMax.of(teacherLogProbs)) {
            agreements++;
        }
        crossEntropySum -= logQ[label];
        double kl = 0;
        for (int k = 0; k < classes; k++) {
            double p = Math.exp(teacherLogProbs[k]);
            if (p > 0) {
                kl += p * (teacherLogProbs[k] - logQ[k]);
            }
        }
        klSum += Math.max(0, kl); // ≥ 0 in exact arithmetic; rounding can leave −1e-16
        samples++;
    }

    public ClassifierMetrics result() {
        if (samples == 0) {
            throw new IllegalStateException("no samples were added");
        }
        long right = 0;
        double[] perClass = new double[classes];
        for (int k = 0; k < classes; k++) {
            right += correct[k];
            perClass[k] = seen[k] == 0 ? Double.NaN : correct[k] / (double) seen[k];
        }
        return new ClassifierMetrics((int) samples, right / (double) samples, perClass, crossEntropySum / samples,
                agreements / (double) samples, klSum / samples);
    }

    /** log softmax(z) of one row, stably (the maximum is subtracted before exp). */
    public static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (float z : logits) {
            sum += Math.exp(z - max);
        }
        double logSum = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int k = 0; k < logits.length; k++) {
            out[k] = logits[k] - logSum;
        }
        return out;
    }
}
