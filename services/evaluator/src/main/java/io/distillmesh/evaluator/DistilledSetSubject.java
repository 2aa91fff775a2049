package io.distillmesh.evaluator;

import io.distillmesh.messaging.records.EvaluationResultRecord.Progress;
import io.distillmesh.messaging.records.EvaluationResultRecord.SubjectKind;
import io.vertx.core.json.JsonObject;

/**
 * A distilled data set from the distiller (dm.distilled, keyed by job id). NOT IMPLEMENTED YET: the distiller
 * and its artifact format land later. Evaluating one means replaying exactly the artifact's schedule: train
 * {@code replicas} fresh networks drawn from its init distribution on its images and labels, with its learned
 * step sizes, steps and epochs, then test each with {@link TestSetEvaluator} and publish the mean accuracy ± std
 * over the replicas ({@link SubjectMetrics}). Until then {@link #evaluate} refuses with that reason, so no
 * result is ever published for a distilled set.
 */
public record DistilledSetSubject(String jobId, JsonObject artifact) implements EvaluationSubject {
    public static final String NOT_IMPLEMENTED = "evaluating distilled sets is not implemented yet: it needs the"
            + " distiller's dm.distilled artifact (images, labels, learned step sizes, steps, epochs, init"
            + " distribution) and a trainer that replays that schedule on fresh networks";

    @Override
    public String subjectId() {
        return "distilled:" + jobId;
    }

    @Override
    public SubjectKind kind() {
        return SubjectKind.DISTILLED_SET;
    }

    @Override
    public String pointId() {
        return "set";
    }

    @Override
    public String queueKey() {
        return "distilled:" + jobId;
    }

    @Override
    public Progress progress() {
        return null;
    }

    @Override
    public String modelPath() {
        return null;
    }

    @Override
    public JsonObject settings() {
        return artifact == null ? new JsonObject() : artifact.copy();
    }

    @Override
    public SubjectMetrics evaluate(TestSetEvaluator evaluator) {
        throw new UnsupportedOperationException(NOT_IMPLEMENTED);
    }
}
