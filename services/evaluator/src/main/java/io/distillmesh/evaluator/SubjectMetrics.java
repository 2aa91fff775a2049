package io.distillmesh.evaluator;

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
}
