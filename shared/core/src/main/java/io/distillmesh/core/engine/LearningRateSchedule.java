package io.distillmesh.core.engine;

/** An optimizer's learning rate as a function of the (0-based) iteration (in dataset distillation, the meta-iteration). */
@FunctionalInterface
public interface LearningRateSchedule {
    double rate(int iteration);

    static LearningRateSchedule constant(double rate) {
        return new StepDecay(rate, 1.0, Integer.MAX_VALUE);
    }
}
