package io.distillmesh.standalone;

import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.vertx.MeshVertx;
import io.distillmesh.student.StudentTrainingLoop;
import io.distillmesh.student.StudentVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The teacher is killed with SIGKILL in the middle of a run and started again: it takes the run up again by itself
 * (dm.runs holds the runs it has taken) where the run's stream stopped (the run's topic holds how far it got), and
 * the student trains every sample of the run exactly once. Asking for the run again answers it, without a second
 * stream.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class TeacherRestartTest {
    private static final int SAMPLES = 20_000;

    @Test
    void aTeacherKilledMidRunGoesOnWhereItsStreamStoppedAndNoSampleIsMissingOrTwice(@TempDir Path work) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"));
             TeacherProcess teacher = new TeacherProcess(work.resolve("teacher"), broker.bootstrapServers(),
                     Path.of("../../models").toAbsolutePath().normalize())) {
            MeshVertx mesh = MeshVertx.create();
            try {
                WebClient client = WebClient.create(mesh.vertx());
                JsonObject run = new JsonObject().put("runId", "restarted").put("limit", SAMPLES).put("batchSize", 128);
                teacher.start();
                assertEquals(202, postRun(client, teacher, run).statusCode());

                AtomicIntegerArray seen = new AtomicIntegerArray(SAMPLES);
                StudentVerticle student = new StudentVerticle(mesh.registry(), (pass, ids) -> {
                    for (long id : ids) {
                        seen.incrementAndGet((int) id);
                    }
                });
                mesh.vertx().deployVerticle(student, new DeploymentOptions().setConfig(new JsonObject().put("http.port", 0)
                        .put("kafka.bootstrap.servers", broker.bootstrapServers())
                        .put("checkpoint.dir", work.resolve("checkpoints").toString()).put("student.id", "follower")
                        .put("student.run", "restarted").put("student.hidden", "32").put("student.batch-size", 50)))
                        .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);

                long producedAtKill = awaitProduced(client, teacher, SAMPLES / 5);
                teacher.kill();
                assertTrue(producedAtKill < SAMPLES, "the kill came mid-run: " + producedAtKill + " produced");
                teacher.start();
                HttpResponse<Buffer> resumed = postRun(client, teacher, run);
                assertEquals(200, resumed.statusCode(), "the restarted teacher had taken the run up by itself: "
                        + resumed.bodyAsString());
                assertTrue(resumed.bodyAsJsonObject().getLong("produced") >= producedAtKill,
                        "the restarted teacher counts what the topic holds: " + resumed.bodyAsString());

                long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(5);
                while (student.loop().state() != StudentTrainingLoop.State.DONE && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(StudentTrainingLoop.State.DONE, student.loop().state(), student.status().encode()
                        + "\nteacher log:\n" + Files.readString(teacher.log()));
                for (int id = 0; id < SAMPLES; id++) {
                    assertEquals(1, seen.get(id), "sample " + id);
                }
                assertEquals(SAMPLES, student.loop().samplesTrained());
                JsonObject status = client.get(teacher.port(), "127.0.0.1", "/runs/restarted").send()
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).bodyAsJsonObject();
                assertEquals("DONE", status.getString("state"), status.encode());
                assertEquals(SAMPLES, status.getLong("produced"), status.encode());
            } finally {
                mesh.vertx().close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
            }
        }
    }

    /** Posts the run once the teacher answers (it may still be starting). */
    private static HttpResponse<Buffer> postRun(WebClient client, TeacherProcess teacher, JsonObject run) throws Exception {
        long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(2);
        while (true) {
            try {
                return client.post(teacher.port(), "127.0.0.1", "/runs").sendJsonObject(run)
                        .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
            } catch (Exception notYet) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the teacher did not answer; its log:\n" + Files.readString(teacher.log()), notYet);
                }
                Thread.sleep(250);
            }
        }
    }

    private static long awaitProduced(WebClient client, TeacherProcess teacher, long atLeast) throws Exception {
        long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(2);
        while (System.currentTimeMillis() < deadline) {
            long produced = client.get(teacher.port(), "127.0.0.1", "/runs/restarted").send()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).bodyAsJsonObject().getLong("produced");
            if (produced >= atLeast) {
                return produced;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the teacher did not produce " + atLeast + " records in time");
    }
}
