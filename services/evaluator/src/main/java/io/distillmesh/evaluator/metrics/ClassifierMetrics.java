package io.distillmesh.evaluator.metrics;

/**
 * A classifier's metrics on a labelled test set: top-1 accuracy, accuracy within each true class, mean
 * cross-entropy −log q(label), the rate at which its top-1 class is the teacher's top-1 class, and the mean
 * KL(teacher ‖ classifier) of the two output distributions at T = 1, over {@code samples} images.
 */
public record ClassifierMetrics(int samples, double accuracy, double[] perClassAccuracy, double crossEntropy,
                                double teacherAgreement, double klTeacherSubject) {
    public ClassifierMetrics {
        perClassAccuracy = perClassAccuracy.clone();
    }

    @Override
    public double[] perClassAccuracy() {
        return perClassAccuracy.clone();
    }
}
