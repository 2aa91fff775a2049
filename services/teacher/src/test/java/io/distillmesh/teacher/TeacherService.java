package io.distillmesh.teacher;

import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.PartitionSnapshot;
import io.distillmesh.messaging.records.RunRecord;
import io.distillmesh.messaging.records.RunRecordCodec;
import io.distillmesh.messaging.records.SoftTargetBatchRecord;
import io.distillmesh.messaging.records.SoftTargetRecord;
import io.distillmesh.messaging.vertx.MeshVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real teacher on loopback with an embedded Kafka broker, and an HTTP client for it. */
final class TeacherService implements AutoCloseable {
    final EmbeddedKafkaBroker broker;
    final MeshVertx mesh = MeshVertx.create();
    final WebClient client;
    final TeacherVerticle verticle;
    /** The directory the teacher loads its models from. */
    final Path modelsDir;

    /** Writes a test's own model files into a models directory. */
    @FunctionalInterface
    interface ModelFiles {
        void writeTo(Path dir) throws Exception;
    }

    /** A teacher over a new models directory: a copy of the shipped teacher and what {@code models} writes there. */
    static TeacherService withModels(ModelFiles models) throws Exception {
        Path dir = TestModels.newDirWithTheShippedTeacher();
        models.writeTo(dir);
        return new TeacherService(new JsonObject().put("models.dir", dir.toString()));
    }

    TeacherService(JsonObject config) throws Exception {
        broker = EmbeddedKafkaBroker.start();
        verticle = new TeacherVerticle(mesh.registry());
        JsonObject conf = new JsonObject().put("http.port", 0).put("http.host", "127.0.0.1")
                .put("kafka.bootstrap.servers", broker.bootstrapServers())
                .put("models.dir", TestModels.DIR.toString()).mergeIn(config);
        modelsDir = Path.of(conf.getString("models.dir"));
        mesh.vertx().deployVerticle(verticle, new DeploymentOptions().setConfig(conf))
                .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
        client = WebClient.create(mesh.vertx());
    }

    int port() {
        return verticle.port();
    }

    HttpRequest<Buffer> post(String path) {
        return client.post(port(), "127.0.0.1", path);
    }

    HttpResponse<Buffer> get(String path) throws Exception {
        return client.get(port(), "127.0.0.1", path).send().toCompletionStage().toCompletableFuture()
                .get(1, TimeUnit.MINUTES);
    }

    HttpResponse<Buffer> postRun(JsonObject run) throws Exception {
        return post("/runs").sendJsonObject(run).toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }

    HttpResponse<Buffer> postRun(String body) throws Exception {
        return post("/runs").putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body))
                .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }

    /** Asks for the run and expects a 400 whose error says {@code reason}. */
    void assertBadRequest(JsonObject run, String reason) throws Exception {
        HttpResponse<Buffer> response = postRun(run);
        assertEquals(400, response.statusCode(), response.bodyAsString());
        String error = response.bodyAsJsonObject().getString("error");
        assertTrue(error.contains(reason), "expected '" + reason + "' in: " + error);
    }

    JsonObject run(String runId) throws Exception {
        return get("/runs/" + runId).bodyAsJsonObject();
    }

    /** Waits until the run has produced something, and returns its status. */
    JsonObject awaitStreaming(String runId) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            JsonObject status = run(runId);
            if (status.getLong("produced", 0L) > 0) {
                return status;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("run " + runId + " did not start streaming");
    }

    JsonObject awaitDone(String runId) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            JsonObject status = run(runId);
            if (!status.getString("state").equals("RUNNING")) {
                assertEquals("DONE", status.getString("state"), status.encode());
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run " + runId + " did not finish");
    }

    /** Every record value in the topic's one partition up to its end now, those of aborted transactions too. */
    List<byte[]> readAll(String topic) {
        return read(topic, false);
    }

    /**
     * The record values students can read: the committed ones (the topic's offsets also count the transactions'
     * markers).
     */
    List<byte[]> readCommitted(String topic) {
        return read(topic, true);
    }

    /** The soft-target samples students can read on a run's topic, however many a record holds. */
    long committedSamples(String topic) {
        long samples = 0;
        for (byte[] value : readCommitted(topic)) {
            RunRecord record = RunRecordCodec.decode(value);
            if (record instanceof SoftTargetBatchRecord batch) {
                samples += batch.size();
            } else if (record instanceof SoftTargetRecord) {
                samples++;
            }
        }
        return samples;
    }

    private List<byte[]> read(String topic, boolean committedOnly) {
        List<byte[]> out = new ArrayList<>();
        PartitionSnapshot.read(broker.bootstrapServers(), topic, committedOnly).forEach(r -> out.add(r.value()));
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            mesh.vertx().close().toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
        } finally {
            broker.close();
        }
    }
}
