package io.distillmesh.evaluator.subject;

import io.distillmesh.evaluator.checkpoint.ArtifactDirectory;
import io.distillmesh.evaluator.checkpoint.ModelFiles;
import io.distillmesh.evaluator.metrics.TestSetEvaluator;
import io.distillmesh.messaging.records.EvaluationResultRecord;
import io.distillmesh.messaging.records.EvaluationResultRecord.Progress;
import io.distillmesh.messaging.records.EvaluationResultRecord.SubjectKind;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A model file someone asked for with POST /evaluations, listed under the student id they gave. Its point is
 * the file (relative to the artifact directory), so asking again for the same file replaces its result.
 * No training progress is known for a bare file, so it is not a point of the training curve.
 */
public record ModelFileSubject(String subjectId, String relativePath, ArtifactDirectory artifacts)
        implements EvaluationSubject {

    @Override
    public SubjectKind kind() {
        return SubjectKind.MODEL_FILE;
    }

    @Override
    public String pointId() {
        return "file:" + relativePath;
    }

    @Override
    public String queueKey() {
        return "request:" + key();
    }

    @Override
    public Progress progress() {
        return null;
    }

    @Override
    public String modelPath() {
        return artifacts.resolve(relativePath).toString();
    }

    @Override
    public JsonObject settings() {
        return new JsonObject().put("requestedModelPath", relativePath);
    }

    @Override
    public List<EvaluationResultRecord> evaluate(TestSetEvaluator evaluator) {
        return single(evaluator, () -> evaluator.evaluate(ModelFiles.load(artifacts.requireModelFile(relativePath))));
    }
}
