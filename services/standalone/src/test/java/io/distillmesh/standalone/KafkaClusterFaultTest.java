package io.distillmesh.standalone;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.vertx.MeshVertx;
import io.distillmesh.student.StudentTrainingLoop;
import io.distillmesh.student.StudentVerticle;
import io.distillmesh.teacher.TeacherVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Kafka cluster of three KRaft nodes, each its own process, topics with replication 3 and min.insync.replicas 2,
 * the teacher's producer idempotent with acks=all. While the teacher streams a run, the leader of the run's
 * partition is killed with SIGKILL and brought back; then, spread over the students' remaining passes, every node
 * is restarted in turn (SIGTERM, start, in sync again). The teacher keeps producing, both students keep consuming,
 * and each trains every sample of every pass exactly once. The pause each fault caused is printed
 * (docs/RELIABILITY.md).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KafkaClusterFaultTest {
    private static final int SAMPLES = 20_000;
    /**
     * Passes of each student over the run's stream (the teacher streams it once): enough that the students are still
     * training when the rolling restarts begin, after the kill and the killed node's return.
     */
    private static final int EPOCHS = 4;
    private static final int STUDENTS = 2;
    private static final long BATCH_MILLIS = 50;
    private static final String RUN = "cluster-faults";

    @Test
    void aClusterOfThreeLosesItsLeaderAndRestartsNodeByNodeWhileEveryStudentTrainsEverySampleExactlyOnce(@TempDir Path work)
            throws Exception {
        try (BrokerProcesses kafka = new BrokerProcesses(work.resolve("kafka"), 3)) {
            kafka.startAll();
            MeshVertx mesh = MeshVertx.create();
            try {
                TeacherVerticle teacher = new TeacherVerticle(mesh.registry());
                deploy(mesh, teacher, new JsonObject().put("http.port", 0)
                        .put("kafka.bootstrap.servers", kafka.bootstrapServers()).put("topic.replication.factor", 3)
                        .put("models.dir", Path.of("../../models").toAbsolutePath().normalize().toString()));
                WebClient client = WebClient.create(mesh.vertx());
                var created = client.post(teacher.port(), "localhost", "/runs").sendJsonObject(new JsonObject()
                                .put("runId", RUN).put("limit", SAMPLES))
                        .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
                assertTrue(created.statusCode() / 100 == 2, created.bodyAsString());
                LongSupplier produced = () -> {
                    try {
                        return client.get(teacher.port(), "localhost", "/runs/" + RUN).send().toCompletionStage()
                                .toCompletableFuture().get(30, TimeUnit.SECONDS).bodyAsJsonObject().getLong("produced", 0L);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                };

                List<AtomicIntegerArray> seen = new ArrayList<>();
                List<StudentVerticle> students = new ArrayList<>();
                for (int s = 0; s < STUDENTS; s++) {
                    AtomicIntegerArray counts = new AtomicIntegerArray(EPOCHS * SAMPLES);
                    seen.add(counts);
                    StudentVerticle student = new StudentVerticle(mesh.registry(), (pass, ids) -> {
                        for (long id : ids) {
                            counts.incrementAndGet(pass * SAMPLES + (int) id);
                        }
                        paceLikeALargerNetwork();
                    });
                    deploy(mesh, student, new JsonObject().put("http.port", 0)
                            .put("kafka.bootstrap.servers", kafka.bootstrapServers()).put("topic.replication.factor", 3)
                            .put("checkpoint.dir", work.resolve("checkpoints").toString())
                            .put("student.id", "c" + s).put("student.run", RUN).put("student.epochs", EPOCHS)
                            .put("student.temperature", 2.0 + s).put("student.batch-size", 50).put("student.hidden", "32"));
                    students.add(student);
                }
                String topic = Topics.softTargets(RUN);
                LongSupplier slowest = () -> students.stream().mapToLong(s -> s.loop().samplesTrained()).min().orElse(0);

                await(() -> slowest.getAsLong() >= 500, "the students to start training");
                int leader = kafka.leaderOf(topic);
                long producedAtKill = produced.getAsLong();
                assertTrue(producedAtKill < SAMPLES, "the teacher was still producing at the kill");
                long trainedAtKill = slowest.getAsLong();
                long killedAt = System.nanoTime();
                kafka.kill(leader);
                await(() -> slowest.getAsLong() >= trainedAtKill + 500 && produced.getAsLong() > producedAtKill,
                        "training and producing to go on without node " + kafka.nodeIdOf(leader));
                System.out.printf("kill -9 of node %d (the partition's leader) at %d records produced: both students "
                                + "trained 500 more samples %.1f s later%n", kafka.nodeIdOf(leader), producedAtKill,
                        (System.nanoTime() - killedAt) / 1e9);
                kafka.start(leader);
                kafka.awaitAllInSync(120);

                long total = (long) EPOCHS * SAMPLES;
                long rollingFrom = slowest.getAsLong();
                for (int node = 0; node < 3; node++) {
                    // spread over the work left: the first node at once, the others a third and two thirds further,
                    // or at once where the students are past that already
                    long due = rollingFrom + (total - rollingFrom) * node / 3;
                    await(() -> slowest.getAsLong() >= due || students.stream()
                            .noneMatch(st -> st.loop().state() == StudentTrainingLoop.State.TRAINING), "training to reach " + due);
                    boolean training = students.stream().allMatch(st -> st.loop().state() == StudentTrainingLoop.State.TRAINING);
                    if (node == 0) {
                        assertTrue(training, "the students finished before the rolling restarts began; raise EPOCHS");
                    }
                    long producedBefore = produced.getAsLong();
                    long trainedBefore = slowest.getAsLong();
                    long stoppedAt = System.nanoTime();
                    kafka.stop(node);
                    kafka.awaitGone(node, 60);
                    kafka.start(node);
                    kafka.awaitAllInSync(120);
                    System.out.printf("rolling restart of node %d at %d records produced, %d trained by the slowest "
                                    + "student (%s): in sync again %.1f s later, the slowest student then at %d%n",
                            kafka.nodeIdOf(node), producedBefore, trainedBefore, training ? "both training" : "done",
                            (System.nanoTime() - stoppedAt) / 1e9, slowest.getAsLong());
                }

                for (StudentVerticle student : students) {
                    awaitEnd(student.loop());
                    assertEquals(StudentTrainingLoop.State.DONE, student.loop().state(), student.status().encode());
                    assertEquals((long) EPOCHS * SAMPLES, student.loop().samplesTrained(), student.status().encode());
                }
                assertEquals(SAMPLES, produced.getAsLong(), "the teacher produced the whole run");
                for (int s = 0; s < STUDENTS; s++) {
                    for (int i = 0; i < EPOCHS * SAMPLES; i++) {
                        assertEquals(1, seen.get(s).get(i), "student c" + s + ", pass " + i / SAMPLES + ", sample " + i % SAMPLES);
                    }
                }
            } finally {
                mesh.vertx().close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
            }
        }
    }

    /**
     * At least {@link #BATCH_MILLIS} per batch of 50, as a larger network would take: the tiny test student would
     * otherwise be through all its passes before the faults, which then would test nothing of it.
     */
    private static void paceLikeALargerNetwork() {
        try {
            Thread.sleep(BATCH_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deploy(MeshVertx mesh, io.vertx.core.Deployable verticle, JsonObject config) throws Exception {
        mesh.vertx().deployVerticle(verticle, new DeploymentOptions().setConfig(config))
                .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void awaitEnd(StudentTrainingLoop loop) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 300_000;
        while ((loop.state() == StudentTrainingLoop.State.STARTING
                || loop.state() == StudentTrainingLoop.State.TRAINING) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }
}
