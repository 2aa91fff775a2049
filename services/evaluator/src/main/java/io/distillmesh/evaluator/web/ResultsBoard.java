package io.distillmesh.evaluator.web;

import io.distillmesh.messaging.records.EvaluationResultRecord;
import io.distillmesh.messaging.records.EvaluationResultRecord.SubjectKind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The evaluator's state: every result on dm.eval.results, grouped by subject, with each subject's curve over
 * training. Rebuilt on start by reading the topic from its beginning, then kept up to date from its tail, so a
 * restart loses nothing and the topic stays the only source of truth.
 *
 * <p>Why results are keyed {@code <subjectId>@<pointId>} (e.g. {@code kd-t4@1200}: a student, 1,200 samples
 * trained) and not by subject id alone: the topic is compacted, and compaction keeps only the newest record of
 * each key, so a key per subject would leave one point per student after compaction and the curves would be
 * gone after the next restart. With a key per point the whole curve survives, and evaluating the same point
 * again replaces it. There is no separate summary record: a subject's summary is its last record in topic
 * order, which compaction never removes (it is the newest record of its own key).
 */
public final class ResultsBoard {
    /** A distilled subject's summary point: the set itself, whatever order its comparisons arrive in. */
    static final String SUMMARY_POINT = "set";
    private final Map<String, Subject> subjects = new HashMap<>();
    private final MeterRegistry registry;

    public ResultsBoard(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Adds (or replaces) a result; returns the subject's view after it. */
    public synchronized JsonObject apply(EvaluationResultRecord result) {
        Subject subject = subjects.get(result.subjectId());
        if (subject == null) {
            subject = new Subject();
            subjects.put(result.subjectId(), subject);
            String id = result.subjectId();
            Gauge.builder("dm.evaluator.accuracy", this, board -> board.latestAccuracy(id))
                    .description("test accuracy of the subject's newest evaluation").tag("subject", id)
                    .strongReference(true).register(registry);
        }
        if (result.kind() == SubjectKind.DISTILLED_SET && !subject.points.containsKey(result.pointId())) {
            String id = result.subjectId();
            String point = result.pointId();
            Gauge.builder("dm.evaluator.distilled.accuracy", this, board -> board.pointAccuracy(id, point))
                    .description("mean test accuracy of a distilled set and of each set it is compared with")
                    .tag("subject", id).tag("kind", comparedKind(result)).strongReference(true).register(registry);
        }
        subject.points.put(result.pointId(), result);
        subject.latest = result.kind() == SubjectKind.DISTILLED_SET && subject.points.containsKey(SUMMARY_POINT)
                ? subject.points.get(SUMMARY_POINT) : result;
        return subject.toJson();
    }

    /** The result stored under {@code key} ({@code <subjectId>@<pointId>}), if any. */
    public synchronized Optional<EvaluationResultRecord> result(String subjectId, String pointId) {
        Subject subject = subjects.get(subjectId);
        return Optional.ofNullable(subject == null ? null : subject.points.get(pointId));
    }

    public synchronized Optional<JsonObject> subject(String subjectId) {
        Subject subject = subjects.get(subjectId);
        return Optional.ofNullable(subject == null ? null : subject.toJson());
    }

    /** Every subject, best newest accuracy first. */
    public synchronized JsonArray subjects() {
        return new JsonArray(subjects.values().stream()
                .sorted(Comparator.comparingDouble((Subject s) -> -s.latest.accuracy())
                        .thenComparing(s -> s.latest.subjectId()))
                .map(Subject::toJson).toList());
    }

    public synchronized int size() {
        return subjects.size();
    }

    private synchronized double pointAccuracy(String subjectId, String pointId) {
        Subject subject = subjects.get(subjectId);
        EvaluationResultRecord point = subject == null ? null : subject.points.get(pointId);
        return point == null ? Double.NaN : point.accuracy();
    }

    /** What a distilled subject's point is: {@code distilled-set}, a baseline's kind, {@code before}, .... */
    private static String comparedKind(EvaluationResultRecord result) {
        JsonObject made = result.settings().getJsonObject("result");
        return made != null && made.getValue("kind") instanceof String kind ? kind : result.pointId();
    }

    private synchronized double latestAccuracy(String subjectId) {
        Subject subject = subjects.get(subjectId);
        return subject == null ? Double.NaN : subject.latest.accuracy();
    }

    private static final class Subject {
        private final Map<String, EvaluationResultRecord> points = new LinkedHashMap<>();
        private EvaluationResultRecord latest;

        JsonObject toJson() {
            JsonArray series = new JsonArray(points.values().stream().filter(r -> r.progress() != null)
                    .sorted(Comparator.comparingLong(r -> r.progress().samplesTrained()))
                    .map(r -> new JsonObject().put("pointId", r.pointId())
                            .put("samplesTrained", r.progress().samplesTrained()).put("pass", r.progress().pass())
                            .put("epochs", r.progress().epochs()).put("accuracy", r.accuracy())
                            .put("crossEntropy", r.crossEntropy()).put("teacherAgreement", r.teacherAgreement())
                            .put("klTeacherSubject", r.klTeacherSubject())
                            .put("evaluatedAtMillis", r.evaluatedAtMillis()))
                    .toList());
            JsonObject json = new JsonObject().put("subjectId", latest.subjectId()).put("kind", latest.kind().wireName())
                    .put("latest", latest.toJson()).put("evaluations", points.size()).put("series", series);
            if (latest.kind() == SubjectKind.DISTILLED_SET) {
                json.put("points", new JsonArray(points.values().stream().map(EvaluationResultRecord::toJson).toList()));
            }
            return json;
        }
    }
}
