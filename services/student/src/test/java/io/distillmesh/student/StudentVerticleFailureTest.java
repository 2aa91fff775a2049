package io.distillmesh.student;

import io.distillmesh.core.train.StudentTrainer;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.vertx.MeshVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A student that cannot work says so: FAILED with the cause in /status, 503 on /health, the cause in its log. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StudentVerticleFailureTest {
    private EmbeddedKafkaBroker broker;
    private MeshVertx mesh;
    private WebClient client;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stderr;
    private int port;

    @BeforeEach
    void start() {
        broker = EmbeddedKafkaBroker.start();
        mesh = MeshVertx.create();
        client = WebClient.create(mesh.vertx());
        stderr = System.err;
        System.setErr(new PrintStream(new TeeStream(log, stderr), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        System.setErr(stderr);
        mesh.vertx().close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        broker.close();
    }

    @Test
    void aStudentWhoseTopicsCannotBeCreatedIsFailedWithTheCause(@TempDir Path dir) throws Exception {
        JsonObject status = deployAndAwaitEnd(config(dir).put("topic.replication.factor", 3));
        assertEquals("FAILED", status.getString("state"), status.encode());
        assertTrue(status.getString("error", "").contains("replication factor"), status.encode());
        assertHealthDown(status.getString("error"));
    }

    @Test
    void aCorruptCheckpointFailsTheStudentWithTheFileNamed(@TempDir Path dir) throws Exception {
        JsonObject config = config(dir);
        StudentSpec spec = StudentSettings.specFrom(StudentVerticle.DEFAULTS.copy().mergeIn(config));
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints").resolve(spec.studentId()));
        Path model = store.save(new Checkpoint(StudentTrainer.create(spec.model(), spec.temperature(), spec.alpha())
                .network(), StreamPosition.START, 0, 0), spec);
        Files.write(model, new byte[]{'n', 'o', 't', ' ', 'a', ' ', 'z', 'i', 'p'});

        JsonObject status = deployAndAwaitEnd(config);
        assertEquals("FAILED", status.getString("state"), status.encode());
        assertTrue(status.getString("error", "").contains(model.toString()), status.encode());
        assertHealthDown(status.getString("error"));
    }

    private JsonObject config(Path dir) {
        return new JsonObject().put("http.port", 0).put("http.host", "localhost")
                .put("kafka.bootstrap.servers", broker.bootstrapServers())
                .put("checkpoint.dir", dir.resolve("checkpoints").toString()).put("student.run", "never-streamed");
    }

    private JsonObject deployAndAwaitEnd(JsonObject config) throws Exception {
        StudentVerticle student = new StudentVerticle(mesh.registry());
        mesh.vertx().deployVerticle(student, new DeploymentOptions().setConfig(config))
                .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        long deadline = System.currentTimeMillis() + 60_000;
        JsonObject status = get(student.port(), "/status").bodyAsJsonObject();
        while (!status.getString("state").equals("FAILED") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            status = get(student.port(), "/status").bodyAsJsonObject();
        }
        port = student.port();
        return status;
    }

    private void assertHealthDown(String error) throws Exception {
        HttpResponse<Buffer> health = get(port, "/health");
        assertEquals(503, health.statusCode(), health.bodyAsString());
        JsonObject body = health.bodyAsJsonObject();
        assertEquals("DOWN", body.getString("status"), body.encode());
        assertEquals("FAILED", body.getString("state"), body.encode());
        assertEquals(error, body.getString("error"), body.encode());
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("ERROR") && logged.contains(error), "the cause is logged: " + logged);
    }

    private HttpResponse<Buffer> get(int port, String path) throws Exception {
        return client.get(port, "localhost", path).send().toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    /** Writes to both streams: the test reads the log while it still goes to the console. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
