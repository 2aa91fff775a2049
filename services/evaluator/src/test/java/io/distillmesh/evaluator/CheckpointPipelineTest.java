package io.distillmesh.evaluator;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.TopicAdmin;
import io.distillmesh.messaging.records.CheckpointRecord;
import io.distillmesh.student.StudentVerticle;
import io.distillmesh.teacher.TeacherVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.distillmesh.evaluator.EvaluatorHarness.awaitPoint;
import static io.distillmesh.evaluator.EvaluatorHarness.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dm.checkpoints → evaluator → dm.eval.results, on a real broker with real students. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CheckpointPipelineTest {
    private static final String TEACHER = "teacher:teacher-cnn.zip";
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        try (TopicAdmin topics = new TopicAdmin(EvaluatorHarness.kafka(broker), 1)) {
            EvaluationTopics.ensure(topics);
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void ofSeveralQueuedCheckpointsOfAStudentOnlyTheNewestIsEvaluatedAndOnlyOnce(@TempDir Path artifacts) throws Exception {
        List<CheckpointRecord> checkpoints = TinyStudents.train(TinyStudents.spec("queued", 4.0, 0.9, 3), 300, artifacts);
        for (CheckpointRecord checkpoint : checkpoints) {
            publish(broker, Topics.CHECKPOINTS, checkpoint.studentId(), checkpoint.encode());
        }
        try (EvaluatorHarness evaluator = EvaluatorHarness.start(broker, EvaluatorHarness.config(broker, artifacts))) {
            JsonObject queued = awaitPoint(evaluator, "queued", 900);
            assertEquals(1, queued.getJsonArray("series").size(), queued.encode());
            assertEquals(3, queued.getJsonObject("latest").getJsonObject("progress").getInteger("pass"));
            String metrics = evaluator.metrics();
            assertTrue(metrics.contains("dm_evaluator_checkpoints_skipped_total{reason=\"superseded\"} 2.0"), metrics);
            assertTrue(metrics.contains("dm_evaluator_evaluations_total{kind=\"student-checkpoint\"} 1.0"), metrics);

            // the same checkpoint announced again (a student re-sending after a crash) is not evaluated twice
            publish(broker, Topics.CHECKPOINTS, "queued", checkpoints.get(2).encode());
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!metrics.contains("dm_evaluator_checkpoints_skipped_total{reason=\"already-evaluated\"} 1.0")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
                metrics = evaluator.metrics();
            }
            assertTrue(metrics.contains("dm_evaluator_checkpoints_skipped_total{reason=\"already-evaluated\"} 1.0"), metrics);
            assertTrue(metrics.contains("dm_evaluator_evaluations_total{kind=\"student-checkpoint\"} 1.0"), metrics);
        }
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicWithTheReasonAndTheNextGoodOneIsEvaluated(
            @TempDir Path artifacts) throws Exception {
        try (EvaluatorHarness evaluator = EvaluatorHarness.start(broker, EvaluatorHarness.config(broker, artifacts))) {
            CheckpointRecord good = TinyStudents.train(TinyStudents.spec("after-junk", 4.0, 0.9, 1), 300, artifacts).get(0);
            JsonObject valid = new JsonObject(Buffer.buffer(good.encode()));
            Map<String, byte[]> junk = Map.of(
                    "junk", "\u0000\u0001 not json".getBytes(StandardCharsets.UTF_8),
                    "future", valid.copy().put("v", 9).toBuffer().getBytes(),
                    "bad-id", valid.copy().put("studentId", "no spaces allowed").toBuffer().getBytes(),
                    "escape", valid.copy().put("modelPath", "../../../etc/passwd").toBuffer().getBytes(),
                    "negative", valid.copy().put("samplesTrained", -5).toBuffer().getBytes());
            for (var record : junk.entrySet()) {
                publish(broker, Topics.CHECKPOINTS, record.getKey(), record.getValue());
            }
            publish(broker, EvaluationTopics.RESULTS, "forged@1", "{\"v\": 1}".getBytes(StandardCharsets.UTF_8));
            publish(broker, Topics.CHECKPOINTS, good.studentId(), good.encode());
            awaitPoint(evaluator, "after-junk", 300);

            Map<String, String> reasons = new java.util.HashMap<>();
            String forged = null;
            for (ConsumerRecord<String, byte[]> dead : EvaluatorHarness.readAll(broker, Topics.DEAD_LETTERS)) {
                String source = header(dead, DeadLetterPublisher.HEADER_SOURCE);
                if (source.startsWith(Topics.CHECKPOINTS + "/")) {
                    reasons.put(dead.key(), header(dead, DeadLetterPublisher.HEADER_REASON));
                } else if (source.startsWith(EvaluationTopics.RESULTS + "/")) {
                    forged = header(dead, DeadLetterPublisher.HEADER_REASON);
                }
            }
            assertTrue(forged != null && forged.contains("malformed evaluation result record"), forged);
            assertEquals(404, evaluator.get("/results/forged").statusCode());
            assertEquals(junk.keySet(), reasons.keySet(), reasons.toString());
            assertTrue(reasons.get("junk").contains("not JSON"), reasons.get("junk"));
            assertTrue(reasons.get("future").contains("unknown checkpoint record version 9"), reasons.get("future"));
            assertTrue(reasons.get("bad-id").contains("studentId"), reasons.get("bad-id"));
            assertTrue(reasons.get("escape").contains("escapes the artifact directory"), reasons.get("escape"));
            assertTrue(reasons.get("negative").contains("samplesTrained >= 0"), reasons.get("negative"));
            String metrics = evaluator.metrics();
            assertTrue(metrics.contains("dm_dead_letters_total{service=\"evaluator\"} 6.0"), metrics);
        }
    }

    @Test
    void afterARestartTheResultsAreRebuiltFromTheResultsTopicWithoutEvaluatingAnythingAgain(@TempDir Path artifacts)
            throws Exception {
        List<CheckpointRecord> checkpoints = TinyStudents.train(TinyStudents.spec("restarted", 2.0, 0.7, 2), 300, artifacts);
        JsonObject before;
        JsonObject teacherBefore;
        int listedBefore;
        try (EvaluatorHarness first = EvaluatorHarness.start(broker, EvaluatorHarness.config(broker, artifacts))) {
            teacherBefore = first.awaitSubject(TEACHER, s -> true, Duration.ofMinutes(2));
            publish(broker, Topics.CHECKPOINTS, "restarted", checkpoints.get(0).encode());
            awaitPoint(first, "restarted", 300);
            publish(broker, Topics.CHECKPOINTS, "restarted", checkpoints.get(1).encode());
            before = awaitPoint(first, "restarted", 600);
            listedBefore = first.get("/results").bodyAsJsonArray().size();
        }
        deleteRecursively(artifacts.resolve("restarted")); // the models are gone: whatever the new instance shows came from the topic

        try (EvaluatorHarness second = EvaluatorHarness.start(broker, EvaluatorHarness.config(broker, artifacts))) {
            HttpResponse<Buffer> after = second.get("/results/restarted");
            assertEquals(200, after.statusCode(), "listed as soon as the restarted evaluator is up");
            assertEquals(before, after.bodyAsJsonObject());
            assertEquals(2, after.bodyAsJsonObject().getJsonArray("series").size());
            assertEquals(teacherBefore, second.get("/results/" + TEACHER).bodyAsJsonObject());
            assertEquals(listedBefore, second.get("/results").bodyAsJsonArray().size());
            Thread.sleep(1500); // give the loop time to (wrongly) pick anything up again
            String metrics = second.metrics();
            assertTrue(metrics.contains("dm_evaluator_evaluations_total{kind=\"student-checkpoint\"} 0.0"), metrics);
            assertTrue(metrics.contains("dm_evaluator_evaluations_total{kind=\"teacher\"} 0.0"), metrics);
            assertTrue(metrics.contains("dm_evaluator_evaluation_failures_total{kind=\"student-checkpoint\"} 0.0"), metrics);
        }
    }

    @Test
    void theCheckpointsOfARealStudentServiceAreEvaluatedUpToItsLastPass(@TempDir Path work) throws Exception {
        Path artifacts = Files.createDirectories(work.resolve("checkpoints"));
        try (EvaluatorHarness evaluator = EvaluatorHarness.start(broker, EvaluatorHarness.config(broker, artifacts))) {
            TeacherVerticle teacher = new TeacherVerticle(evaluator.mesh.registry());
            deploy(evaluator, teacher, new JsonObject().put("http.port", 0).put("http.host", "127.0.0.1")
                    .put("kafka.bootstrap.servers", broker.bootstrapServers())
                    .put("models.dir", EvaluatorHarness.MODELS.toString()));
            HttpResponse<Buffer> run = evaluator.client.post(teacher.port(), "127.0.0.1", "/runs")
                    .sendJsonObject(new JsonObject().put("runId", "live").put("limit", 300).put("temperature", 4.0))
                    .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
            assertEquals(202, run.statusCode(), run.bodyAsString());
            deploy(evaluator, new StudentVerticle(evaluator.mesh.registry()), new JsonObject().put("http.port", 0)
                    .put("http.host", "127.0.0.1").put("kafka.bootstrap.servers", broker.bootstrapServers())
                    .put("checkpoint.dir", artifacts.toString()).put("student.id", "service-student")
                    .put("student.run", "live").put("student.epochs", 2).put("student.batch-size", 50)
                    .put("student.hidden", "32").put("student.checkpoint-every", 1000));

            JsonObject student = awaitPoint(evaluator, "service-student", 600);
            JsonObject latest = student.getJsonObject("latest");
            assertEquals(2, latest.getJsonObject("progress").getInteger("pass"));
            assertEquals(2, latest.getJsonObject("progress").getInteger("epochs"));
            assertEquals("live", latest.getJsonObject("settings").getString("runId"));
            assertEquals("service-student", latest.getJsonObject("settings").getJsonObject("spec").getString("studentId"));
            assertTrue(latest.getDouble("accuracy") > 0.2, "better than chance after 600 samples: " + latest.encode());
        }
    }

    private static void deploy(EvaluatorHarness h, io.vertx.core.Deployable verticle, JsonObject config) throws Exception {
        h.mesh.vertx().deployVerticle(verticle, new DeploymentOptions().setConfig(config))
                .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
