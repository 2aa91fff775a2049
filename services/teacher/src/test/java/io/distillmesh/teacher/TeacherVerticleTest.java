package io.distillmesh.teacher;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.records.RunEndRecord;
import io.distillmesh.messaging.records.RunRecord;
import io.distillmesh.messaging.records.RunRecordCodec;
import io.distillmesh.messaging.records.SoftTargetRecord;
import io.distillmesh.messaging.vertx.MeshVertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TeacherVerticleTest {
    private static EmbeddedKafkaBroker broker;
    private static MeshVertx mesh;
    private static WebClient client;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start();
        mesh = MeshVertx.create();
        TeacherVerticle teacher = new TeacherVerticle(mesh.registry());
        JsonObject config = new JsonObject().put("http.port", 0)
                .put("kafka.bootstrap.servers", broker.bootstrapServers())
                .put("models.dir", TestModels.DIR.toString());
        mesh.vertx().deployVerticle(teacher, new io.vertx.core.DeploymentOptions().setConfig(config))
                .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
        port = teacher.port();
        client = WebClient.create(mesh.vertx());
    }

    @AfterAll
    static void stop() throws Exception {
        mesh.vertx().close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        broker.close();
    }

    @Test
    void badRunRequestsGet400WithTheReason() throws Exception {
        assertBadRequest(new JsonObject().put("runId", "r1").put("temperature", 0), "temperature must be > 0");
        assertBadRequest(new JsonObject().put("runId", "r1").put("temperature", -2), "temperature must be > 0");
        assertBadRequest(new JsonObject().put("runId", "r1").put("dataset", "imagenet"), "unknown data set 'imagenet'");
        assertBadRequest(new JsonObject().put("runId", "r1").put("model", "absent.zip"), "teacher model file not found");
        assertBadRequest(new JsonObject().put("runId", "r1").put("model", "../../etc/passwd"), "model must be a file name");
        assertBadRequest(new JsonObject().put("runId", "bad id!"), "run id must be");
        assertBadRequest(new JsonObject().put("runId", "r1").put("tempreature", 2), "unknown field 'tempreature'");
        HttpResponse<Buffer> notJson = client.post(port, "localhost", "/runs").sendBuffer(Buffer.buffer("{nope"))
                .toCompletionStage().toCompletableFuture().get();
        assertEquals(400, notJson.statusCode());
        HttpResponse<Buffer> missing = client.get(port, "localhost", "/runs/nope").send()
                .toCompletionStage().toCompletableFuture().get();
        assertEquals(404, missing.statusCode());
    }

    @Test
    void streamsOneRecordPerSampleWithTeacherLogProbsAndEndsTheRun() throws Exception {
        JsonObject run = new JsonObject().put("runId", "stream-test").put("temperature", 4.0).put("limit", 300)
                .put("epochs", 2).put("labelled", 100).put("batchSize", 128);
        HttpResponse<Buffer> created = client.post(port, "localhost", "/runs").sendJsonObject(run)
                .toCompletionStage().toCompletableFuture().get();
        assertEquals(202, created.statusCode(), created.bodyAsString());
        JsonObject status = awaitDone("stream-test");
        assertEquals(600, status.getLong("produced"));

        List<RunRecord> records = readAll(Topics.softTargets("stream-test"));
        assertEquals(601, records.size());
        assertEquals(new RunEndRecord(2, 600), records.get(600));
        Set<Long> epoch0 = new HashSet<>();
        Set<Long> labelled = new HashSet<>();
        for (RunRecord r : records.subList(0, 600)) {
            SoftTargetRecord s = assertInstanceOf(SoftTargetRecord.class, r);
            assertEquals(4f, s.temperature());
            assertEquals(784, s.input().length);
            double total = 0;
            for (float lp : s.logProbs()) {
                total += Math.exp(lp);
            }
            assertEquals(1.0, total, 1e-4);
            if (s.epoch() == 0) {
                epoch0.add(s.sampleId());
            }
            if (s.labelled()) {
                labelled.add(s.sampleId());
            }
        }
        assertEquals(300, epoch0.size(), "each sample once per epoch");
        assertEquals(100, labelled.size(), "only the labelled subset carries labels");
    }

    private static JsonObject awaitDone(String runId) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            JsonObject status = client.get(port, "localhost", "/runs/" + runId).send()
                    .toCompletionStage().toCompletableFuture().get().bodyAsJsonObject();
            if (!status.getString("state").equals("RUNNING")) {
                assertEquals("DONE", status.getString("state"), status.encode());
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not finish");
    }

    private static List<RunRecord> readAll(String topic) {
        Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers(),
                "key.deserializer", StringDeserializer.class, "value.deserializer", ByteArrayDeserializer.class);
        List<RunRecord> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(RunRecordCodec.decode(r.value()));
                }
            }
        }
        return out;
    }

    private static void assertBadRequest(JsonObject body, String reason) throws Exception {
        HttpResponse<Buffer> response = client.post(port, "localhost", "/runs").sendJsonObject(body)
                .toCompletionStage().toCompletableFuture().get();
        assertEquals(400, response.statusCode(), response.bodyAsString());
        String error = response.bodyAsJsonObject().getString("error");
        assertTrue(error.contains(reason), "expected '" + reason + "' in: " + error);
    }
}
