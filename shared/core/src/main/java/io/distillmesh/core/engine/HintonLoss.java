package io.distillmesh.core.engine;

/**
 * Hinton et al. (2015) on flat row-major arrays: the batch mean of α·T²·KL(p_T ‖ q_T) + (1−α)·CE(y, q_1), q_T the
 * student's softmax at T, and its gradient w.r.t. the logits, α·T·(q_T − p_T) + (1−α)·(q_1·Σy − y), divided by the
 * batch size. Targets are {@code [n, 2K]} as the stream carries them: the teacher's probabilities at T, then the
 * one-hot label or all zeros for a sample without one (only the soft term applies to it). Plain loops: for a small
 * output layer they cost less than the native calls they replace.
 */
public final class HintonLoss implements OutputLoss {
    private final double temperature;
    private final double alpha;
    private final int classes;

    public HintonLoss(double temperature, double alpha, int classes) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        this.temperature = temperature;
        this.alpha = alpha;
        this.classes = classes;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int labelColumns() {
        return 2 * classes;
    }

    /** The students' output layer is linear: what they output are the logits. */
    @Override
    public void activateOutput(double[] logits, int n) {
    }

    /**
     * Writes dL/dz of the batch mean into {@code gradient} ({@code [n, K]}) and answers the batch mean loss.
     * {@code logits} {@code [n, K]}, {@code targets} {@code [n, 2K]}.
     */
    public double lossAndGradient(float[] logits, float[] targets, int n, float[] gradient) {
        double[] z = new double[n * classes];
        double[] t = new double[n * 2 * classes];
        double[] g = new double[n * classes];
        for (int i = 0; i < z.length; i++) {
            z[i] = logits[i];
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = targets[i];
        }
        double loss = lossAndGradient(z, t, n, g);
        for (int i = 0; i < g.length; i++) {
            gradient[i] = (float) g[i];
        }
        return loss;
    }

    /** As {@link #lossAndGradient(float[], float[], int, float[])}, in double precision. */
    @Override
    public double lossAndGradient(double[] logits, double[] targets, int n, double[] gradient) {
        int k = classes;
        if (logits.length < n * k || gradient.length < n * k || targets.length < n * 2 * k) {
            throw new IllegalArgumentException("need logits and gradient of " + n + "×" + k + " and targets of "
                    + n + "×" + 2 * k + ", got " + logits.length + ", " + gradient.length + ", " + targets.length);
        }
        double[] qT = new double[k];
        double[] q1 = new double[k];
        double total = 0;
        double scale = 1.0 / n;
        for (int r = 0; r < n; r++) {
            int z0 = r * k;
            int t0 = r * 2 * k;
            double logSumT = softmax(logits, z0, temperature, qT);
            double logSum1 = softmax(logits, z0, 1.0, q1);
            double labelled = 0;
            double kl = 0;
            double ce = 0;
            for (int c = 0; c < k; c++) {
                double p = targets[t0 + c];
                double y = targets[t0 + k + c];
                labelled += y;
                if (p > 0) {
                    kl += p * (Math.log(p) - (logits[z0 + c] / temperature - logSumT));
                }
                ce -= y * (logits[z0 + c] - logSum1);
            }
            total += alpha * temperature * temperature * kl + (1 - alpha) * ce;
            for (int c = 0; c < k; c++) {
                gradient[z0 + c] = scale * (alpha * temperature * (qT[c] - targets[t0 + c])
                        + (1 - alpha) * (q1[c] * labelled - targets[t0 + k + c]));
            }
        }
        return total * scale;
    }

    /** softmax(z/t) of one row into {@code out}; answers log Σ exp(z/t). */
    private static double softmax(double[] logits, int from, double t, double[] out) {
        int k = out.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, logits[from + c] / t);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            out[c] = Math.exp(logits[from + c] / t - max);
            sum += out[c];
        }
        for (int c = 0; c < k; c++) {
            out[c] /= sum;
        }
        return max + Math.log(sum);
    }
}
