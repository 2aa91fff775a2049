package io.distillmesh.evaluator.subject;

import io.distillmesh.core.specialist.ClassReduction;
import io.distillmesh.evaluator.checkpoint.ArtifactDirectory;
import io.distillmesh.evaluator.checkpoint.ModelFiles;
import io.distillmesh.evaluator.metrics.TestSetEvaluator;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.records.CheckpointRecord;
import io.distillmesh.messaging.records.EvaluationResultRecord;
import io.distillmesh.messaging.records.EvaluationResultRecord.Progress;
import io.distillmesh.messaging.records.EvaluationResultRecord.SubjectKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;

/**
 * A student's checkpoint as announced on dm.checkpoints. One point of the student's curve per number of
 * samples trained (samples trained only grows over a student's passes; a pass-end checkpoint that trained
 * nothing since the previous one has the same weights and the same point).
 */
public record StudentCheckpointSubject(CheckpointRecord checkpoint, ArtifactDirectory artifacts)
        implements EvaluationSubject {

    /** Validates a decoded record; a refused one belongs on the dead-letter topic with the exception's reason. */
    public static StudentCheckpointSubject from(CheckpointRecord record, ArtifactDirectory artifacts) {
        try {
            Topics.requireValidRunId(record.studentId());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("studentId: " + e.getMessage());
        }
        if (record.pass() < 0 || record.epochs() < 1 || record.samplesTrained() < 0 || record.offset() < 0) {
            throw new IllegalArgumentException("progress needs pass >= 0, epochs >= 1, samplesTrained >= 0 and"
                    + " offset >= 0, got pass=" + record.pass() + " epochs=" + record.epochs() + " samplesTrained="
                    + record.samplesTrained() + " offset=" + record.offset());
        }
        artifacts.resolve(record.modelPath());
        return new StudentCheckpointSubject(record, artifacts);
    }

    @Override
    public String subjectId() {
        return checkpoint.studentId();
    }

    @Override
    public SubjectKind kind() {
        return SubjectKind.STUDENT_CHECKPOINT;
    }

    @Override
    public String pointId() {
        return Long.toString(checkpoint.samplesTrained());
    }

    @Override
    public String queueKey() {
        return "checkpoint:" + checkpoint.studentId();
    }

    @Override
    public Progress progress() {
        return new Progress(checkpoint.pass(), checkpoint.epochs(), checkpoint.samplesTrained(), checkpoint.offset(),
                checkpoint.loss());
    }

    @Override
    public String modelPath() {
        return artifacts.resolve(checkpoint.modelPath()).toString();
    }

    @Override
    public JsonObject settings() {
        JsonObject settings = new JsonObject().put("runId", checkpoint.runId());
        return checkpoint.spec() == null ? settings : settings.put("spec", checkpoint.spec());
    }

    @Override
    public List<EvaluationResultRecord> evaluate(TestSetEvaluator evaluator) {
        TestSetEvaluator task = specialistClasses().map(c -> evaluator.reducedTo(new ClassReduction(c,
                evaluator.testSet().numClasses()))).orElse(evaluator);
        return single(task, () -> task.evaluate(ModelFiles.load(artifacts.requireModelFile(checkpoint.modelPath()))));
    }

    /** A specialist student (spec architecture {@code specialist}) is scored on its classes plus the dustbin. */
    private Optional<int[]> specialistClasses() {
        JsonObject spec = checkpoint.spec();
        if (spec == null || !"specialist".equals(spec.getString("architecture"))) {
            return Optional.empty();
        }
        JsonArray classes = spec.getJsonArray("classes");
        if (classes == null) {
            throw new IllegalArgumentException("a specialist checkpoint's spec lacks its classes");
        }
        return Optional.of(classes.stream().mapToInt(c -> ((Number) c).intValue()).toArray());
    }
}
