package io.distillmesh.evaluator.metrics;

import java.util.List;

/**
 * The metrics a subject is published with: the mean over {@code replicas} independently trained networks and
 * the spread of their accuracies (a distilled set is judged over several fresh initialisations); a checkpoint
 * is one network, with no spread ({@code accuracyStd} NaN).
 */
public record SubjectMetrics(ClassifierMetrics mean, int replicas, double accuracyStd) {
    public SubjectMetrics {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be positive, got " + replicas);
        }
    }

    public static SubjectMetrics single(ClassifierMetrics metrics) {
        return new SubjectMetrics(metrics, 1, Double.NaN);
    }

    /** Every metric averaged over the replicas; the sample standard deviation of their accuracies (NaN for one). */
    public static SubjectMetrics over(List<ClassifierMetrics> replicas) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("no replicas to average");
        }
        int n = replicas.size();
        int classes = replicas.get(0).perClassAccuracy().length;
        double accuracy = 0;
        double crossEntropy = 0;
        double agreement = 0;
        double kl = 0;
        double[] perClass = new double[classes];
        for (ClassifierMetrics m : replicas) {
            accuracy += m.accuracy() / n;
            crossEntropy += m.crossEntropy() / n;
            agreement += m.teacherAgreement() / n;
            kl += m.klTeacherSubject() / n;
            double[] pc = m.perClassAccuracy();
            for (int c = 0; c < classes; c++) {
                perClass[c] += pc[c] / n;
            }
        }
        double squares = 0;
        for (ClassifierMetrics m : replicas) {
            squares += (m.accuracy() - accuracy) * (m.accuracy() - accuracy);
        }
        double std = n < 2 ? Double.NaN : Math.sqrt(squares / (n - 1));
        ClassifierMetrics mean = new ClassifierMetrics(replicas.get(0).samples(), clamp(accuracy), clampAll(perClass),
                crossEntropy, clamp(agreement), Math.max(0, kl));
        return new SubjectMetrics(mean, n, std);
    }

    /** Averages of fractions can leave [0, 1] by a rounding error; the result record refuses that. */
    private static double clamp(double fraction) {
        return Math.max(0, Math.min(1, fraction));
    }

    private static double[] clampAll(double[] fractions) {
        double[] out = fractions.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = clamp(out[i]);
        }
        return out;
    }
}
