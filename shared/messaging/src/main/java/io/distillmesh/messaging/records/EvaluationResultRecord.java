package io.distillmesh.messaging.records;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * What the evaluator publishes on {@code dm.eval.results} for one evaluation of one subject (the teacher, a
 * student checkpoint, a model file, later a distilled set) on a labelled test split: accuracy (the mean over
 * {@code replicas} independently trained networks, with their standard deviation; one network and no spread
 * for a checkpoint), per-class accuracy, mean cross-entropy, agreement with the teacher (top-1 match rate and
 * mean KL(teacher ‖ subject) at T = 1), the training progress a checkpoint had reached, and the settings it
 * was trained with. JSON, versioned by the field {@code v}; validated when built and when read.
 *
 * <p>The Kafka key is {@link #key()}, {@code <subjectId>@<pointId>}: one key per point of a subject's
 * curve, so a compacted topic keeps the whole curve (see the evaluator's {@code ResultsBoard}).
 */
public record EvaluationResultRecord(String subjectId, SubjectKind kind, String pointId, String teacherId,
                                     String dataset, int samples, double accuracy, double accuracyStd, int replicas,
                                     double[] perClassAccuracy, double crossEntropy, double teacherAgreement,
                                     double klTeacherSubject, Progress progress, String modelPath, JsonObject settings,
                                     long evaluatedAtMillis, double evaluationSeconds) {
    public static final int VERSION = 1;

    /** What was evaluated; the wire name is the lower-case, dashed form. */
    public enum SubjectKind {
        TEACHER, STUDENT_CHECKPOINT, MODEL_FILE, DISTILLED_SET;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static SubjectKind fromWireName(String name) {
            for (SubjectKind kind : values()) {
                if (kind.wireName().equals(name)) {
                    return kind;
                }
            }
            throw new RecordFormatException("unknown subject kind '" + name + "'");
        }
    }

    /** How far a checkpoint had trained: pass (completed passes) of epochs, samples trained, stream offset, last loss. */
    public record Progress(int pass, int epochs, long samplesTrained, long offset, double trainingLoss) {
        public Progress {
            if (pass < 0 || epochs < 1 || samplesTrained < 0 || offset < 0) {
                throw new RecordFormatException("progress needs pass >= 0, epochs >= 1, samplesTrained >= 0 and"
                        + " offset >= 0, got pass=" + pass + " epochs=" + epochs + " samplesTrained=" + samplesTrained
                        + " offset=" + offset);
            }
        }

        JsonObject toJson() {
            return new JsonObject().put("pass", pass).put("epochs", epochs).put("samplesTrained", samplesTrained)
                    .put("offset", offset).put("trainingLoss", Double.isFinite(trainingLoss) ? trainingLoss : null);
        }

        static Progress fromJson(JsonObject json) {
            Double loss = json.getDouble("trainingLoss");
            return new Progress(json.getInteger("pass"), json.getInteger("epochs"), json.getLong("samplesTrained"),
                    json.getLong("offset"), loss == null ? Double.NaN : loss);
        }
    }

    public EvaluationResultRecord {
        requireText(subjectId, "subjectId");
        requireText(pointId, "pointId");
        requireText(teacherId, "teacherId");
        requireText(dataset, "dataset");
        if (kind == null) {
            throw new RecordFormatException("kind is required");
        }
        if (subjectId.contains("@")) {
            throw new RecordFormatException("subjectId must not contain '@' (it separates the point in the key): "
                    + subjectId);
        }
        if (samples < 1 || replicas < 1) {
            throw new RecordFormatException("samples and replicas must be positive, got " + samples + ", " + replicas);
        }
        requireFraction(accuracy, "accuracy");
        requireFraction(teacherAgreement, "teacherAgreement");
        if (perClassAccuracy == null || perClassAccuracy.length < 2) {
            throw new RecordFormatException("perClassAccuracy needs one value per class");
        }
        for (double a : perClassAccuracy) {
            requireFraction(a, "perClassAccuracy");
        }
        perClassAccuracy = perClassAccuracy.clone();
        requireNonNegative(crossEntropy, "crossEntropy");
        requireNonNegative(klTeacherSubject, "klTeacherSubject");
        requireNonNegative(evaluationSeconds, "evaluationSeconds");
        if (!Double.isNaN(accuracyStd)) {
            requireNonNegative(accuracyStd, "accuracyStd");
        }
        settings = settings == null ? new JsonObject() : settings.copy();
    }

    /** The Kafka key: {@code <subjectId>@<pointId>}. */
    public String key() {
        return subjectId + "@" + pointId;
    }

    @Override
    public double[] perClassAccuracy() {
        return perClassAccuracy.clone();
    }

    public JsonObject toJson() {
        return new JsonObject().put("v", VERSION).put("subjectId", subjectId).put("kind", kind.wireName())
                .put("pointId", pointId).put("teacherId", teacherId).put("dataset", dataset).put("samples", samples)
                .put("accuracy", accuracy).put("accuracyStd", Double.isNaN(accuracyStd) ? null : accuracyStd)
                .put("replicas", replicas)
                .put("perClassAccuracy", new JsonArray(Arrays.stream(perClassAccuracy).boxed().toList()))
                .put("crossEntropy", crossEntropy).put("teacherAgreement", teacherAgreement)
                .put("klTeacherSubject", klTeacherSubject)
                .put("progress", progress == null ? null : progress.toJson())
                .put("modelPath", modelPath).put("settings", settings)
                .put("evaluatedAtMillis", evaluatedAtMillis).put("evaluationSeconds", evaluationSeconds);
    }

    public byte[] encode() {
        return toJson().toBuffer().getBytes();
    }

    public static EvaluationResultRecord decode(byte[] bytes) {
        if (bytes == null) {
            throw new RecordFormatException("evaluation result record has no value");
        }
        JsonObject json = JsonRecords.parse(bytes, "evaluation result");
        JsonRecords.requireVersion(json, VERSION, "evaluation result");
        try {
            double[] perClassAccuracy = JsonRecords.doubles(
                    Objects.requireNonNull(json.getJsonArray("perClassAccuracy"), "perClassAccuracy is missing"));
            Double std = json.getDouble("accuracyStd");
            JsonObject progress = json.getJsonObject("progress");
            return new EvaluationResultRecord(json.getString("subjectId"), SubjectKind.fromWireName(json.getString("kind")),
                    json.getString("pointId"), json.getString("teacherId"), json.getString("dataset"),
                    json.getInteger("samples"), json.getDouble("accuracy"), std == null ? Double.NaN : std,
                    json.getInteger("replicas"), perClassAccuracy, json.getDouble("crossEntropy"),
                    json.getDouble("teacherAgreement"), json.getDouble("klTeacherSubject"),
                    progress == null ? null : Progress.fromJson(progress), json.getString("modelPath"),
                    json.getJsonObject("settings"), json.getLong("evaluatedAtMillis"), json.getDouble("evaluationSeconds"));
        } catch (RecordFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RecordFormatException("malformed evaluation result record: " + e);
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new RecordFormatException(field + " is required");
        }
    }

    private static void requireFraction(double value, String field) {
        if (!(value >= 0 && value <= 1)) {
            throw new RecordFormatException(field + " must be in [0, 1], got " + value);
        }
    }

    private static void requireNonNegative(double value, String field) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new RecordFormatException(field + " must be a finite number >= 0, got " + value);
        }
    }
}
