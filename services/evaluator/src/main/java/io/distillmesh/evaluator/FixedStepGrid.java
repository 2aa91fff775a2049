package io.distillmesh.evaluator;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.eval.Accuracy;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Picks a baseline's fixed step size as Wang et al. did: every step size of a small grid is tried on
 * {@code replicas} replicas, and the one with the best mean accuracy on held-out training images (never the
 * test set) wins; ties go to the smaller step.
 */
final class FixedStepGrid {
    private final double[] steps;
    private final int replicas;
    private final LabelledImages validation;

    FixedStepGrid(double[] steps, int replicas, LabelledImages validation) {
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
    record Choice(double step, double[] steps, double[] validationAccuracy) {
        JsonObject toJson() {
            JsonArray grid = new JsonArray();
            for (int i = 0; i < steps.length; i++) {
                grid.add(new JsonObject().put("step", steps[i]).put("validationAccuracy", validationAccuracy[i]));
            }
            return new JsonObject().put("stepSize", step).put("grid", grid);
        }
    }

    /** Tries every grid step; each replay (train, then test on the held-out images) is timed by {@code timer}. */
    Choice choose(BaselineSet baseline, DistilledSet template, SetReplay replay, Timer timer) {
        double[] accuracy = new double[steps.length];
        int best = 0;
        for (int i = 0; i < steps.length; i++) {
            for (int r = 0; r < replicas; r++) {
                DistilledSet set = baseline.withStep(template, r, steps[i]);
                int replica = r;
                accuracy[i] += timer.record(() -> Accuracy.of(replay.trained(set, replica), validation)) / replicas;
            }
            if (accuracy[i] > accuracy[best]) {
                best = i;
            }
        }
        return new Choice(steps[best], steps.clone(), accuracy);
    }

    int replicas() {
        return replicas;
    }

    int heldOutImages() {
        return validation.size();
    }
}
