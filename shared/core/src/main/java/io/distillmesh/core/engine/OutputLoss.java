package io.distillmesh.core.engine;

/**
 * The loss on a network's output logits, on flat row-major arrays: the batch mean and its gradient w.r.t. the
 * logits. The flat trainers ({@link MlpTrainer}) call it once per batch; logits and labels are small there.
 */
public interface OutputLoss {
    /** Columns of the logits. */
    int classes();

    /** Columns of one label row. */
    int labelColumns();

    /**
     * Writes dL/dz of the batch mean into {@code gradient} ({@code [n, classes]}) and answers the batch mean loss.
     */
    double lossAndGradient(double[] logits, double[] labels, int n, double[] gradient);

    /** What the network outputs for these logits (row by row, in place): probabilities, or the logits themselves. */
    void activateOutput(double[] logits, int n);
}
