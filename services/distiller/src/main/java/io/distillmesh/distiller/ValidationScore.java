package io.distillmesh.distiller;

import io.distillmesh.core.distill.BestOnValidation;
import io.vertx.core.json.JsonObject;

/**
 * Where a keepBestEvery job's checks stand: how many ran, the meta-iteration whose set scored best on the held-out
 * images (the set the job will publish) with its accuracy, and the latest check's accuracy.
 */
public record ValidationScore(int checks, int bestIteration, double bestAccuracy, double lastAccuracy) {
    static ValidationScore of(BestOnValidation checks) {
        return new ValidationScore(checks.checks(), checks.bestIteration(), checks.bestAccuracy(), checks.lastAccuracy());
    }

    JsonObject toJson() {
        return new JsonObject().put("checks", checks).put("bestIteration", bestIteration)
                .put("bestAccuracy", bestAccuracy).put("lastAccuracy", lastAccuracy);
    }
}
