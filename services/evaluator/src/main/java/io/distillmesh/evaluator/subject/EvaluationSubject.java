package io.distillmesh.evaluator.subject;

import io.distillmesh.evaluator.metrics.ClassifierMetrics;
import io.distillmesh.evaluator.metrics.SubjectMetrics;
import io.distillmesh.evaluator.metrics.TestSetEvaluator;
import io.distillmesh.evaluator.web.ResultsBoard;
import io.distillmesh.messaging.records.EvaluationResultRecord;
import io.distillmesh.messaging.records.EvaluationResultRecord.Progress;
import io.distillmesh.messaging.records.EvaluationResultRecord.SubjectKind;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Something the evaluator measures on the test set. Each kind says how it becomes results: a model file is
 * loaded and tested (one result); a distilled set first trains fresh networks on its images with its learned
 * schedule, and is published with the baselines it is compared with (one result per compared set). Adding a
 * kind means adding one class here.
 */
public sealed interface EvaluationSubject
        permits TeacherSubject, StudentCheckpointSubject, ModelFileSubject, DistilledSetSubject {

    /** Whose curve this point belongs to: a student id, {@code teacher:<model>}, {@code distilled:<job>}. */
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

    /**
     * The results to publish, in order (a subject's last one is its summary on the board). Blocking, CPU-heavy.
     * Throws with the reason when the subject cannot be evaluated.
     */
    List<EvaluationResultRecord> evaluate(TestSetEvaluator evaluator);

    /** Whether the board already has this subject's point, made from the same model and settings. */
    default boolean evaluatedOn(ResultsBoard board) {
        return board.result(subjectId(), pointId())
                .filter(r -> Objects.equals(r.modelPath(), modelPath()) && r.settings().equals(settings())).isPresent();
    }

    /** The one result of a single model, timed from now until {@code metrics} returns. */
    default List<EvaluationResultRecord> single(TestSetEvaluator evaluator, Supplier<ClassifierMetrics> metrics) {
        long start = System.nanoTime();
        SubjectMetrics m = SubjectMetrics.single(metrics.get());
        return List.of(result(m, evaluator, System.currentTimeMillis(), (System.nanoTime() - start) / 1e9));
    }

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
