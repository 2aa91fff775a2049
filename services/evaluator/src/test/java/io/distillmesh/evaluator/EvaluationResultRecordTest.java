package io.distillmesh.evaluator;

import io.distillmesh.messaging.records.EvaluationResultRecord;
import io.distillmesh.messaging.records.EvaluationResultRecord.Progress;
import io.distillmesh.messaging.records.EvaluationResultRecord.SubjectKind;
import io.distillmesh.messaging.records.RecordFormatException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class EvaluationResultRecordTest {

    public static EvaluationResultRecord result(String subject, long samples, double accuracy) {
        return new EvaluationResultRecord(subject, SubjectKind.STUDENT_CHECKPOINT, Long.toString(samples),
                "teacher-cnn.zip", "fashion-mnist/test", 10_000, accuracy, Double.NaN, 1,
                new double[]{accuracy, accuracy}, 0.8, 0.75, 0.4, new Progress(1, 3, samples, samples, 0.6),
                "/a/" + subject + "/model.zip", new JsonObject().put("runId", "r"), 1_700_000_000_000L, 1.5);
    }

    @Test
    void survivesTheWireAndIsKeyedBySubjectAndPoint() {
        EvaluationResultRecord original = result("kd-t4", 1200, 0.71);
        EvaluationResultRecord decoded = EvaluationResultRecord.decode(original.encode());
        assertEquals("kd-t4@1200", decoded.key());
        assertEquals(original.toJson(), decoded.toJson());
        assertArrayEquals(original.perClassAccuracy(), decoded.perClassAccuracy());
        assertTrue(Double.isNaN(decoded.accuracyStd()));
        assertNull(decoded.toJson().getValue("accuracyStd"), "no spread for one network: null on the wire");
        assertEquals(1200, decoded.progress().samplesTrained());
        assertEquals("student-checkpoint", decoded.toJson().getString("kind"));
    }

    @Test
    void refusesWhatIsNotAValidVersionOneResult() {
        JsonObject good = result("s", 10, 0.5).toJson();
        assertRefused("not json".getBytes(StandardCharsets.UTF_8), "evaluation result record is not JSON");
        assertRefused(good.copy().put("v", 2).toBuffer().getBytes(), "version 2");
        assertRefused(good.copy().put("accuracy", 1.5).toBuffer().getBytes(), "accuracy must be in [0, 1]");
        assertRefused(good.copy().put("crossEntropy", "NaN").toBuffer().getBytes(), "malformed");
        assertRefused(good.copy().put("kind", "oracle").toBuffer().getBytes(), "unknown subject kind");
        assertRefused(good.copy().put("subjectId", "a@b").toBuffer().getBytes(), "must not contain '@'");
        assertRefused(good.copy().putNull("pointId").toBuffer().getBytes(), "pointId is required");
        assertRefused(good.copy().put("progress", new JsonObject().put("pass", -1).put("epochs", 1)
                .put("samplesTrained", 0).put("offset", 0)).toBuffer().getBytes(), "pass >= 0");
        assertRefused(null, "no value");
    }

    private static void assertRefused(byte[] bytes, String reason) {
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> EvaluationResultRecord.decode(bytes));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }
}
