package io.distillmesh.evaluator;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.eval.Accuracy;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.records.CheckpointRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST API of a real evaluator on a real broker, with a bearer token configured. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EvaluatorRestTest {
    private static final String TOKEN = "eval-s3cret";
    private static EmbeddedKafkaBroker broker;
    private static EvaluatorHarness evaluator;
    private static Path work;
    private static Path artifacts;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("evaluator-rest-");
        artifacts = Files.createDirectories(work.resolve("artifacts"));
        broker = EmbeddedKafkaBroker.start();
        evaluator = EvaluatorHarness.start(broker, EvaluatorHarness.config(broker, artifacts).put("auth.token", TOKEN));
    }

    @AfterAll
    static void stop() throws Exception {
        if (evaluator != null) {
            evaluator.close();
        }
        broker.close();
    }

    @Test
    void theTeacherIsListedWithItsRecordedAccuracyAndUnknownSubjectsAre404() throws Exception {
        JsonObject teacher = evaluator.awaitSubject("teacher:teacher-cnn.zip", s -> true, Duration.ofMinutes(2));
        assertEquals("teacher", teacher.getString("kind"));
        assertEquals(EvaluatorHarness.shippedTeacherAccuracy(), teacher.getJsonObject("latest").getDouble("accuracy"), 1e-9);
        assertTrue(evaluator.get("/results").bodyAsJsonArray().stream()
                .anyMatch(s -> ((JsonObject) s).getString("subjectId").equals("teacher:teacher-cnn.zip")));
        HttpResponse<Buffer> unknown = evaluator.get("/results/nobody");
        assertEquals(404, unknown.statusCode());
        assertEquals("no results for subject 'nobody'", unknown.bodyAsJsonObject().getString("error"));
        HttpResponse<Buffer> health = evaluator.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("UP", health.bodyAsJsonObject().getString("status"));
    }

    @Test
    void anEvaluatorWhoseTeacherModelIsMissingRefusesToStartAndNamesTheFile() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> EvaluatorHarness.start(broker,
                EvaluatorHarness.config(broker, artifacts).put("teacher.model", "no-such-teacher.zip")));
        assertTrue(String.valueOf(e.getMessage()).contains("no-such-teacher.zip: teacher model file not found"),
                String.valueOf(e.getMessage()));
    }

    @Test
    void requestingAnEvaluationNeedsTheBearerTokenButReadingDoesNot() throws Exception {
        Buffer body = new JsonObject().put("studentId", "s").put("modelPath", "s/model.zip").toBuffer();
        HttpResponse<Buffer> none = evaluator.post("/evaluations", null, body);
        assertEquals(401, none.statusCode());
        assertEquals("missing bearer token", none.bodyAsJsonObject().getString("error"));
        assertEquals(401, evaluator.post("/evaluations", "guess", body).statusCode());
        assertEquals(200, evaluator.get("/results").statusCode());
    }

    @Test
    void badEvaluationRequestsAreRefusedWithTheReason() throws Exception {
        Path outside = Files.writeString(work.resolve("outside.zip"), "not a model of yours");
        Files.createSymbolicLink(artifacts.resolve("link.zip"), outside);
        Map<String, String> cases = Map.of(
                "not json", "",
                "[1, 2]", "",
                "{}", "studentId (a string) is required",
                "{\"studentId\": \"s\", \"modelPath\": \"x\", \"priority\": 1}", "unknown field 'priority'",
                "{\"studentId\": \"no spaces\", \"modelPath\": \"x\"}", "studentId: run id must be",
                "{\"studentId\": \"s\"}", "modelPath (a string",
                "{\"studentId\": \"s\", \"modelPath\": \"../outside.zip\"}", "escapes the artifact directory",
                "{\"studentId\": \"s\", \"modelPath\": \"/etc/passwd\"}", "escapes the artifact directory",
                "{\"studentId\": \"s\", \"modelPath\": \"s/ckpt-1/model.zip\"}", "no such model file 's/ckpt-1/model.zip'",
                "{\"studentId\": \"s\", \"modelPath\": \"link.zip\"}", "through a symbolic link");
        for (var c : cases.entrySet()) {
            HttpResponse<Buffer> response = evaluator.post("/evaluations", TOKEN, Buffer.buffer(c.getKey()));
            assertEquals(400, response.statusCode(), c.getKey() + " -> " + response.bodyAsString());
            String error = response.bodyAsJsonObject().getString("error");
            assertTrue(error != null && error.contains(c.getValue()), c.getKey() + " -> " + error);
        }
        HttpResponse<Buffer> big = evaluator.post("/evaluations", TOKEN,
                Buffer.buffer("{\"studentId\": \"s\", \"modelPath\": \"" + "x".repeat(70_000) + "\"}"));
        assertEquals(413, big.statusCode(), "bodies over 64 KiB");
    }

    @Test
    void aRequestedModelFileIsEvaluatedOnTheWholeTestSetWithCoreAccuracy() throws Exception {
        List<CheckpointRecord> trained = TinyStudents.train(TinyStudents.spec("requested", 4.0, 0.9, 1), 300, artifacts);
        HttpResponse<Buffer> accepted = evaluator.post("/evaluations", TOKEN, new JsonObject()
                .put("studentId", "requested").put("modelPath", "requested/ckpt-1/model.zip").toBuffer());
        assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
        assertEquals("requested@file:requested/ckpt-1/model.zip", accepted.bodyAsJsonObject().getString("key"));

        JsonObject subject = evaluator.awaitSubject("requested", s -> true, Duration.ofMinutes(2));
        JsonObject latest = subject.getJsonObject("latest");
        assertEquals("model-file", latest.getString("kind"));
        assertEquals(10_000, latest.getInteger("samples"));
        var network = ModelSerializer.restoreMultiLayerNetwork(new File(trained.get(0).modelPath()), false);
        double expected = Accuracy.of(network, FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST));
        assertEquals(expected, latest.getDouble("accuracy"), 1e-9);
        assertEquals(10, latest.getJsonArray("perClassAccuracy").size());
        assertTrue(subject.getJsonArray("series").isEmpty(), "a bare file has no training progress, so no curve point");
        String metrics = evaluator.metrics();
        assertTrue(metrics.contains("dm_evaluator_evaluations_total{kind=\"model-file\"} 1.0"), metrics);
        assertTrue(metrics.contains("dm_evaluator_accuracy{subject=\"requested\"} " + expected), metrics);
    }
}
