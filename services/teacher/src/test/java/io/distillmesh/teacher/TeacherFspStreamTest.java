package io.distillmesh.teacher;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.fsp.FspMatrix;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.model.ResNetSpec;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.records.FspEndRecord;
import io.distillmesh.messaging.records.FspRecordCodec;
import io.distillmesh.messaging.records.FspTargetRecord;
import io.distillmesh.messaging.vertx.MeshVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TeacherFspStreamTest {
    private static EmbeddedKafkaBroker broker;
    private static MeshVertx mesh;
    private static WebClient client;
    private static int port;
    private static ComputationGraph resnet;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start();
        Path models = Files.createTempDirectory("fsp-models");
        resnet = ModelZoo.resnetClassifier(ResNetSpec.of(4, new int[]{2, 2, 2}, new int[]{4, 8, 8}));
        ModelSerializer.writeModel(resnet, models.resolve("tiny-resnet.zip").toFile(), false);
        Files.copy(TestModels.DIR.resolve("teacher-cnn.zip"), models.resolve("teacher-cnn.zip"));
        mesh = MeshVertx.create();
        TeacherVerticle teacher = new TeacherVerticle(mesh.registry());
        JsonObject config = new JsonObject().put("http.port", 0)
                .put("kafka.bootstrap.servers", broker.bootstrapServers()).put("models.dir", models.toString());
        mesh.vertx().deployVerticle(teacher, new DeploymentOptions().setConfig(config))
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
    void aResidualTeacherStreamsEachSamplesFspMatricesBesideItsSoftTargets() throws Exception {
        JsonObject run = new JsonObject().put("runId", "fsp-run").put("model", "tiny-resnet.zip").put("limit", 150)
                .put("epochs", 1).put("batchSize", 64).put("fspPairs", new JsonArray()
                        .add(new JsonArray().add("stem").add("stage1")).add(new JsonArray().add("s2b0_conv1").add("stage2")));
        HttpResponse<Buffer> created = post(run);
        assertEquals(202, created.statusCode(), created.bodyAsString());
        awaitDone("fsp-run");

        List<byte[]> values = readAll(Topics.fsp("fsp-run"));
        assertEquals(151, values.size());
        assertEquals(new FspEndRecord(1, 150), FspRecordCodec.decode(values.get(150)));
        LabelledImages train = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN);
        Set<Long> ids = new HashSet<>();
        for (byte[] value : values.subList(0, 150)) {
            FspTargetRecord r = assertInstanceOf(FspTargetRecord.class, FspRecordCodec.decode(value));
            ids.add(r.sampleId());
            assertEquals(train.labels()[(int) r.sampleId()], r.label());
            assertArrayEquals(train.image((int) r.sampleId()), r.input());
            assertEquals(4, r.matrices().get(0).rows());
            assertEquals(8, r.matrices().get(1).cols());
        }
        assertEquals(150, ids.size(), "each sample once");
        FspTargetRecord first = (FspTargetRecord) FspRecordCodec.decode(values.get(0));
        Map<String, INDArray> maps = resnet.feedForward(train.features(new int[]{(int) first.sampleId()}), false);
        float[] expected = FspMatrix.compute(maps.get("s2b0_conv1"), maps.get("stage2")).data().asFloat();
        assertArrayEquals(expected, first.matrices().get(1).values(), 1e-5f);
        assertEquals(151, readAll(Topics.softTargets("fsp-run")).size(), "soft targets are streamed as before");
    }

    @Test
    void fspRunsThatCannotWorkGet400WithTheReason() throws Exception {
        JsonArray stage1 = new JsonArray().add(new JsonArray().add("stem").add("stage1"));
        assertBadRequest(new JsonObject().put("runId", "f1").put("model", "teacher-cnn.zip").put("fspPairs", stage1),
                "need a residual teacher");
        assertBadRequest(new JsonObject().put("runId", "f2").put("model", "tiny-resnet.zip")
                .put("fspPairs", new JsonArray().add(new JsonArray().add("stem").add("dense9"))), "has no layer 'dense9'");
        assertBadRequest(new JsonObject().put("runId", "f3").put("model", "tiny-resnet.zip")
                .put("fspPairs", new JsonArray().add(new JsonArray().add("stem").add("stage2"))), "equal spatial size");
        assertBadRequest(new JsonObject().put("runId", "f4").put("model", "tiny-resnet.zip")
                .put("fspPairs", new JsonArray().add("stem")), "[first, second]");
        assertBadRequest(new JsonObject().put("runId", "f5").put("model", "tiny-resnet.zip")
                .put("fspPairs", "stages"), "fspPairs must be an array");
    }

    private static HttpResponse<Buffer> post(JsonObject body) throws Exception {
        return client.post(port, "localhost", "/runs").sendJsonObject(body).toCompletionStage().toCompletableFuture().get();
    }

    private static void assertBadRequest(JsonObject body, String reason) throws Exception {
        HttpResponse<Buffer> response = post(body);
        assertEquals(400, response.statusCode(), response.bodyAsString());
        String error = response.bodyAsJsonObject().getString("error");
        assertTrue(error.contains(reason), "expected '" + reason + "' in: " + error);
    }

    private static void awaitDone(String runId) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            JsonObject status = client.get(port, "localhost", "/runs/" + runId).send()
                    .toCompletionStage().toCompletableFuture().get().bodyAsJsonObject();
            if (!status.getString("state").equals("RUNNING")) {
                assertEquals("DONE", status.getString("state"), status.encode());
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not finish");
    }

    private static List<byte[]> readAll(String topic) {
        Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers(),
                "key.deserializer", StringDeserializer.class, "value.deserializer", ByteArrayDeserializer.class);
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
