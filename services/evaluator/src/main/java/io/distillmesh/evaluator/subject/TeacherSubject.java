package io.distillmesh.evaluator.subject;

import io.distillmesh.evaluator.metrics.TeacherReference;
import io.distillmesh.evaluator.metrics.TestSetEvaluator;
import io.distillmesh.messaging.records.EvaluationResultRecord;
import io.distillmesh.messaging.records.EvaluationResultRecord.Progress;
import io.distillmesh.messaging.records.EvaluationResultRecord.SubjectKind;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** The teacher itself: the top row of the leaderboard. Its metrics were computed with its reference outputs. */
public record TeacherSubject(TeacherReference teacher, String modelPath) implements EvaluationSubject {

    @Override
    public String subjectId() {
        return "teacher:" + teacher.teacherId();
    }

    @Override
    public SubjectKind kind() {
        return SubjectKind.TEACHER;
    }

    @Override
    public String pointId() {
        return "model";
    }

    @Override
    public String queueKey() {
        return "teacher:" + teacher.teacherId();
    }

    @Override
    public Progress progress() {
        return null;
    }

    @Override
    public JsonObject settings() {
        return new JsonObject().put("teacherModel", teacher.teacherId());
    }

    @Override
    public List<EvaluationResultRecord> evaluate(TestSetEvaluator evaluator) {
        return single(evaluator, teacher::metrics);
    }
}
