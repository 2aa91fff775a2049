package io.distillmesh.core.distill;

/**
 * One finished meta-iteration: its 1-based number of the total, the meta-loss measured before the
 * update (mean over the inits of that iteration), the step sizes η_t after the update, the outer
 * learning rate used, and the seconds the iteration took.
 */
public record DistillationProgress(int iteration, int iterations, double metaLoss, double[] stepSizes,
                                   double learningRate, double seconds) {
}
