package io.distillmesh.core.condense;

/**
 * Gradient matching's own settings beside the common ones: per random init, {@code outerLoop} updates of the images,
 * between them {@code innerLoop} epochs of SGD of the network on the synthetic set (batches of 256) at
 * {@code networkLearningRate} (Zhao et al. 2021's {@code get_loops}: images per class 1, 10, 20, 30, 40, 50 take
 * (1, 1), (10, 50), (20, 25), (30, 20), (40, 15), (50, 10); learning rate 0.01).
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

    private static final int[][] PAPER_LOOPS = {{1, 1, 1}, {10, 10, 50}, {20, 20, 25}, {30, 30, 20}, {40, 40, 15},
            {50, 50, 10}};

    /**
     * The paper's loops for the number of images per class; a number it does not list takes the loops of the
     * nearest one it does (ties: the smaller).
     */
    public static GradientMatchingSettings papers(CondensationSettings common) {
        int ipc = common.imagesPerClass();
        int[] nearest = PAPER_LOOPS[0];
        for (int[] row : PAPER_LOOPS) {
            if (Math.abs(row[0] - ipc) < Math.abs(nearest[0] - ipc)) {
                nearest = row;
            }
        }
        return new GradientMatchingSettings(common, nearest[1], nearest[2], 0.01);
    }
}
