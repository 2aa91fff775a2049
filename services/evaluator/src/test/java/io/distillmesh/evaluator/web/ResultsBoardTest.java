package io.distillmesh.evaluator.web;

import io.distillmesh.messaging.records.EvaluationResultRecord;
import io.distillmesh.messaging.records.EvaluationResultRecord.SubjectKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.distillmesh.evaluator.EvaluationResultRecordTest.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsBoardTest {

    @Test
    void eachSubjectKeepsItsCurveInTrainingOrderAndItsLastResultAsSummary() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResultsBoard board = new ResultsBoard(registry);
        board.apply(result("a", 600, 0.60));
        board.apply(result("a", 200, 0.40));
        board.apply(result("b", 200, 0.55));
        JsonObject a = board.apply(result("a", 400, 0.50));
        assertEquals(List.of(200L, 400L, 600L), samples(a.getJsonArray("series")));
        assertEquals(0.50, a.getJsonObject("latest").getDouble("accuracy"), "the last result read is the summary");
        board.apply(result("a", 400, 0.52));
        JsonObject again = board.subject("a").orElseThrow();
        assertEquals(3, again.getInteger("evaluations"), "evaluating a point again replaces it");
        assertEquals(0.52, again.getJsonArray("series").getJsonObject(1).getDouble("accuracy"));
        assertEquals(List.of("b", "a"), board.subjects().stream().map(s -> ((JsonObject) s).getString("subjectId")).toList(),
                "best newest accuracy first");
        assertEquals(0.52, registry.get("dm.evaluator.accuracy").tag("subject", "a").gauge().value());
        assertTrue(board.subject("nobody").isEmpty());
    }

    @Test
    void resultsWithoutTrainingProgressAreListedButAreNoPointOfTheCurve() {
        ResultsBoard board = new ResultsBoard(new SimpleMeterRegistry());
        board.apply(result("a", 100, 0.3));
        EvaluationResultRecord file = new EvaluationResultRecord("a", SubjectKind.MODEL_FILE, "file:a/m.zip", "t",
                "fashion-mnist/test", 10_000, 0.35, Double.NaN, 1, new double[]{0.3, 0.4}, 1.0, 0.5, 0.3, null,
                "/x/a/m.zip", null, 1L, 0.2);
        JsonObject a = board.apply(file);
        assertEquals(1, a.getJsonArray("series").size());
        assertEquals(2, a.getInteger("evaluations"));
        assertEquals("model-file", a.getString("kind"));
    }

    @Test
    void aDistilledSubjectIsSummarisedByItsSetWhateverOrderItsComparisonsArriveIn() {
        ResultsBoard board = new ResultsBoard(new SimpleMeterRegistry());
        board.apply(distilled("set", 0.6, "distilled-set"));
        JsonObject subject = board.apply(distilled("baseline:random-real", 0.4, "random-real"));
        assertEquals("set", subject.getJsonObject("latest").getString("pointId"));
        assertEquals(0.6, subject.getJsonObject("latest").getDouble("accuracy"));
        assertEquals(List.of("set", "baseline:random-real"), subject.getJsonArray("points").stream()
                .map(p -> ((JsonObject) p).getString("pointId")).toList());
        assertTrue(subject.getJsonArray("series").isEmpty());
    }

    private static EvaluationResultRecord distilled(String point, double accuracy, String kind) {
        return new EvaluationResultRecord("distilled:job-1", SubjectKind.DISTILLED_SET, point, "t", "fashion-mnist/test",
                10_000, accuracy, 0.01, 3, new double[]{accuracy, accuracy}, 1.0, 0.5, 0.3, null, "/x/job-1.dmds",
                new JsonObject().put("result", new JsonObject().put("kind", kind)), 1L, 0.2);
    }

    private static List<Long> samples(JsonArray series) {
        return series.stream().map(p -> ((JsonObject) p).getLong("samplesTrained")).toList();
    }
}
