package io.distillmesh.core.distill;

import io.distillmesh.core.engine.HvpSettings;
import io.distillmesh.core.engine.LearningRateSchedule;

/**
 * The outer loop: how many meta-iterations, the Adam learning-rate schedule (betas 0.5, 0.999), and
 * how the meta-gradient's Hessian-vector products are taken ({@link HvpSettings}).
 */
public record DistillerConfig(int iterations, LearningRateSchedule learningRate, HvpSettings hvp) {
    /** The most meta-iterations a job may ask for (the per-iteration record a run keeps stays a few MB). */
    public static final int MAX_ITERATIONS = 1_000_000;

    public DistillerConfig {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be in 1.." + MAX_ITERATIONS + ", got " + iterations);
        }
        if (learningRate == null) {
            throw new IllegalArgumentException("a learning-rate schedule is required");
        }
        if (hvp == null) {
            throw new IllegalArgumentException("Hessian-vector product settings are required");
        }
    }

    /** Exact Hessian-vector products (float32 finite differences with the kink guard where the backprop has none). */
    public static DistillerConfig of(int iterations, LearningRateSchedule learningRate) {
        return new DistillerConfig(iterations, learningRate, HvpSettings.exact());
    }
}
