package io.distillmesh.core.distill;

/** The outer optimizer's learning rate as a function of the (0-based) meta-iteration. */
@FunctionalInterface
public interface LearningRateSchedule {
    double rate(int iteration);

    static LearningRateSchedule constant(double rate) {
        return new StepDecay(rate, 1.0, Integer.MAX_VALUE);
    }
}
