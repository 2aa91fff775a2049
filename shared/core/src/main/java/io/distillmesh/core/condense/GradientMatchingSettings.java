package io.distillmesh.core.condense;

/**
 * Gradient matching's own settings beside the common ones: per random init, {@code outerLoop} updates of the images,
 * between them {@code innerLoop} SGD steps of the network on the synthetic set at {@code networkLearningRate}
 * (Zhao et al. 2021: 1 and 1 for one image per class, 10 and 50 for ten, 50 and 10 for fifty; 0.01).
 */
public record GradientMatchingSettings(CondensationSettings common, int outerLoop, int innerLoop,
                                       double networkLearningRate) {
    public GradientMatchingSettings {
        if (common == null) {
            throw new IllegalArgumentException("gradient matching needs the common condensation settings");
        }
        if (outerLoop < 1 || innerLoop < 0) {
            throw new IllegalArgumentException("outer loop must be at least 1 and inner loop at least 0, got "
                    + outerLoop + " and " + innerLoop);
        }
        if (!(networkLearningRate > 0) || Double.isInfinite(networkLearningRate)) {
            throw new IllegalArgumentException("network learning rate must be finite and positive, got "
                    + networkLearningRate);
        }
    }

    /** The papers' loops for {@code imagesPerClass}: (1, 1) for 1, (10, 50) for 10, (50, 10) for 50 and more. */
    public static GradientMatchingSettings papers(CondensationSettings common) {
        int ipc = common.imagesPerClass();
        int outer = ipc < 10 ? 1 : ipc < 50 ? 10 : 50;
        int inner = ipc < 10 ? 1 : ipc < 50 ? 50 : 10;
        return new GradientMatchingSettings(common, outer, inner, 0.01);
    }
}
