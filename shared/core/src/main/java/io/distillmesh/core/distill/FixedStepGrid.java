package io.distillmesh.core.distill;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.eval.Accuracy;

import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Picks a baseline's fixed step size as Wang et al. did: every step size of a small grid is tried on
 * {@code replicas} replicas, and the one with the best mean accuracy on held-out training images (never the
 * test set) wins; ties go to the smaller step.
 */
public final class FixedStepGrid {
    private final double[] steps;
    private final int replicas;
    private final LabelledImages validation;

    public FixedStepGrid(double[] steps, int replicas, LabelledImages validation) {
        if (steps.length == 0) {
            throw new IllegalArgumentException("the step-size grid is empty");
        }
        for (double step : steps) {
            if (!(step > 0) || Double.isInfinite(step)) {
                throw new IllegalArgumentException("grid step sizes must be finite and positive, got " + step);
            }
        }
        if (replicas < 1 || validation.size() == 0) {
            throw new IllegalArgumentException("the grid needs at least one replica and some held-out images");
        }
        this.steps = steps.clone();
        this.replicas = replicas;
        this.validation = validation;
    }

    /** The chosen step and the held-out accuracy of every grid step. */
    public record Choice(double step, double[] steps, double[] validationAccuracy) {
    }

    /**
     * Tries every grid step, replica r replaying the baseline's draw r from evaluation init r of {@code inits}; each
     * replay (train, then test on the held-out images) runs through {@code timed}, which returns its accuracy.
     */
    public Choice choose(BaselineSet baseline, DistilledSet template, InitSampler inits,
                         ToDoubleFunction<DoubleSupplier> timed) {
        ReplayEvaluator onValidation = new ReplayEvaluator(inits, validation);
        double[] accuracy = new double[steps.length];
        int best = 0;
        for (int i = 0; i < steps.length; i++) {
            for (int r = 0; r < replicas; r++) {
                DistilledSet set = baseline.withStep(template, r, steps[i]);
                int replica = r;
                accuracy[i] += timed.applyAsDouble(
                        () -> Accuracy.of(onValidation.trainedNetwork(set, replica), validation)) / replicas;
            }
            if (accuracy[i] > accuracy[best]) {
                best = i;
            }
        }
        return new Choice(steps[best], steps.clone(), accuracy);
    }

    public int replicas() {
        return replicas;
    }

    public int heldOutImages() {
        return validation.size();
    }
}
