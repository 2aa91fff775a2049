package io.distillmesh.standalone;

import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.vertx.MeshVertx;
import io.distillmesh.student.StudentTrainingLoop;
import io.distillmesh.student.StudentVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two teacher replicas share one run: it is asked of one, both stream pieces of it (their own metrics say so), the
 * student reads one stream. Then one replica is killed with SIGKILL mid-run: the other takes its pieces over, and the
 * student trains every sample exactly once.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class TeacherReplicasTest {
    private static final int SAMPLES = 20_000;
    private static final Pattern PRODUCED = Pattern.compile(
            "dm_teacher_records_produced_total\\{run=\"shared\",?}\\s+([0-9.E]+)");

    @Test
    void twoReplicasShareARunAndOneKilledMidRunLosesAndRepeatsNothing(@TempDir Path work) throws Exception {
        Path models = Path.of("../../models").toAbsolutePath().normalize();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"));
             TeacherProcess a = new TeacherProcess(work.resolve("a"), broker.bootstrapServers(), models,
                     new JsonObject().put("teacher.instance", "replica-a"));
             TeacherProcess b = new TeacherProcess(work.resolve("b"), broker.bootstrapServers(), models,
                     new JsonObject().put("teacher.instance", "replica-b"))) {
            MeshVertx mesh = MeshVertx.create();
            try {
                WebClient client = WebClient.create(mesh.vertx());
                a.start();
                b.start();
                TeacherCalls.awaitHealthy(client, a);
                TeacherCalls.awaitHealthy(client, b);

                AtomicIntegerArray seen = new AtomicIntegerArray(SAMPLES);
                StudentVerticle student = new StudentVerticle(mesh.registry(), (pass, ids) -> {
                    for (long id : ids) {
                        seen.incrementAndGet((int) id);
                    }
                });
                mesh.vertx().deployVerticle(student, new DeploymentOptions().setConfig(new JsonObject().put("http.port", 0)
                        .put("kafka.bootstrap.servers", broker.bootstrapServers())
                        .put("checkpoint.dir", work.resolve("checkpoints").toString()).put("student.id", "reader")
                        .put("student.run", "shared").put("student.hidden", "32").put("student.batch-size", 50)))
                        .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);

                JsonObject run = new JsonObject().put("runId", "shared").put("limit", SAMPLES).put("batchSize", 128);
                assertEquals(202, TeacherCalls.postRun(client, a, run).statusCode());
                long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(3);
                double byB = 0;
                while (byB == 0 && System.currentTimeMillis() < deadline) {
                    byB = producedBy(client, b);
                    Thread.sleep(100);
                }
                long producedAtKill = TeacherCalls.produced(client, a, "shared");
                assertTrue(byB > 0, "replica b, which was not asked, streamed pieces of the run\n"
                        + Files.readString(b.log()));
                assertTrue(producedAtKill < SAMPLES, "the kill came mid-run: " + producedAtKill + " produced");
                b.kill();

                while (student.loop().state() != StudentTrainingLoop.State.DONE && System.currentTimeMillis() < deadline
                        + TimeUnit.MINUTES.toMillis(2)) {
                    Thread.sleep(100);
                }
                assertEquals(StudentTrainingLoop.State.DONE, student.loop().state(), student.status().encode()
                        + "\nreplica a's log:\n" + Files.readString(a.log()));
                for (int id = 0; id < SAMPLES; id++) {
                    assertEquals(1, seen.get(id), "sample " + id);
                }
                assertEquals(SAMPLES, student.loop().samplesTrained());
                JsonObject status = TeacherCalls.status(client, a, "shared");
                assertEquals("DONE", status.getString("state"), status.encode());
                assertEquals(SAMPLES, status.getLong("produced"), status.encode());
                double byA = producedBy(client, a);
                assertTrue(byA > 0 && byA <= SAMPLES, "replica a streamed its share and b's rest, each committed record "
                        + "counted once: it counted " + byA + "\nreplica a's log:\n" + Files.readString(a.log()));
            } finally {
                mesh.vertx().close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
            }
        }
    }

    /** Records of run "shared" the replica itself sent, from its /metrics. */
    private static double producedBy(WebClient client, TeacherProcess teacher) throws Exception {
        String metrics = client.get(teacher.port(), "127.0.0.1", "/metrics").send()
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).bodyAsString();
        Matcher m = PRODUCED.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
