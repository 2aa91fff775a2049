package io.distillmesh.evaluator;

import io.distillmesh.messaging.records.EvaluationResultRecord;
import io.distillmesh.messaging.records.EvaluationResultRecord.Progress;
import io.distillmesh.messaging.records.EvaluationResultRecord.SubjectKind;
import io.vertx.core.json.JsonObject;

/**
 * Something the evaluator measures on the test set. Each kind says how it becomes metrics: a model file is
 * loaded and tested; a distilled set (not implemented yet) must first train fresh networks on its images with
 * its learned schedule. Adding a kind means adding one class here.
 */
public sealed interface EvaluationSubject
        permits TeacherSubject, StudentCheckpointSubject, ModelFileSubject, DistilledSetSubject {

    /** Whose curve this point belongs to: a student id, {@code teacher:<model>}, later {@code distilled:<job>}. */
    String subjectId();

    SubjectKind kind();

    /** Which point of the subject's curve: e.g. the samples trained of a checkpoint. */
    String pointId();

    /** Pending subjects with the same queue key replace each other: only the newest is evaluated. */
    String queueKey();

    /** Training progress, or null where there is none to tell (a model file, the teacher). */
    Progress progress();

    /** The model file evaluated, or null. */
    String modelPath();

    /** The settings the subject was made with (echoed into the result so it can be replayed). */
    JsonObject settings();

    /** Blocking, CPU-heavy. Throws with the reason when the subject cannot be evaluated. */
    SubjectMetrics evaluate(TestSetEvaluator evaluator);

    default String key() {
        return subjectId() + "@" + pointId();
    }

    default EvaluationResultRecord result(SubjectMetrics metrics, TestSetEvaluator evaluator, long evaluatedAtMillis,
                                          double evaluationSeconds) {
        ClassifierMetrics m = metrics.mean();
        return new EvaluationResultRecord(subjectId(), kind(), pointId(), evaluator.teacher().teacherId(),
                evaluator.testSet().name(), m.samples(), m.accuracy(), metrics.accuracyStd(), metrics.replicas(),
                m.perClassAccuracy(), m.crossEntropy(), m.teacherAgreement(), m.klTeacherSubject(), progress(),
                modelPath(), settings(), evaluatedAtMillis, evaluationSeconds);
    }
}
