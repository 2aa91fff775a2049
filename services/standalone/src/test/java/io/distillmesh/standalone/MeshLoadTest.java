package io.distillmesh.standalone;

import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.vertx.MeshVertx;
import io.distillmesh.student.StudentTrainingLoop;
import io.distillmesh.student.StudentVerticle;
import io.distillmesh.teacher.TeacherVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sixteen students, each in its own consumer group, train on one run's stream while bursts of REST requests on
 * loopback hit the teacher (as it streams) and the students (as they train): every student trains every sample of
 * every pass exactly once, every request is answered as it should be, and no Vert.x thread is blocked. Bounded: one
 * run of a fixed size and a fixed number of requests.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MeshLoadTest {
    private static final int SAMPLES = 2000;
    private static final int PASSES = 2;
    private static final int STUDENTS = 16;
    private static final String RUN = "load";
    private static final String RUN_SPEC = new JsonObject().put("runId", RUN).put("limit", SAMPLES)
            .put("temperature", 3.0).encode();
    private static final List<String> MALFORMED_RUN_SPECS = List.of("", "not json", "[]", "{\"runId\": \"load\"",
            "{\"limit\": 100}", "{\"runId\": \"load\", \"runId\": \"load\"}", "{\"runId\": \"load\", \"epochs\": 1.5}",
            "{\"runId\": \"load\", \"temperature\": \"hot\"}", "{\"runId\": \"load\", \"color\": 1}",
            "{\"runId\": \"no spaces please\"}", "{\"runId\": \"load-b\", \"epochs\": 0}");
    private static final long REPORTED_HOLD_MILLIS = 200;
    /** Vert.x's own warning time: on a shared 2-core machine a shorter hold of an event loop is printed, not failed. */
    private static final long BLOCKED_MILLIS = VertxOptions.DEFAULT_MAX_EVENT_LOOP_EXECUTE_TIME_UNIT
            .toMillis(VertxOptions.DEFAULT_MAX_EVENT_LOOP_EXECUTE_TIME);

    @Test
    void sixteenStudentsTrainEverySampleOnceWhileRestBurstsAreAnsweredAndNoEventLoopBlocks(@TempDir Path work)
            throws Exception {
        BlockedThreadReports blocked = new BlockedThreadReports();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"));
             RestBurst rest = new RestBurst()) {
            MeshVertx mesh = WatchedMeshVertx.create(REPORTED_HOLD_MILLIS, blocked);
            try {
                TeacherVerticle teacher = new TeacherVerticle(mesh.registry());
                deploy(mesh, teacher, new JsonObject().put("http.port", 0).put("http.host", "127.0.0.1")
                        .put("kafka.bootstrap.servers", broker.bootstrapServers())
                        .put("models.dir", Path.of("../../models").toAbsolutePath().normalize().toString()));
                RestAnswer created = rest.send(List.of(RestCall.post(teacher.port(), "/runs", RUN_SPEC, 202))).get(0);
                assertTrue(created.asExpected(), created.toString());

                long producedBefore = teacher.run(RUN).produced();
                List<RestAnswer> answers = new ArrayList<>(rest.send(teacherCalls(teacher.port())));
                System.out.printf("MeshLoadTest: %d requests to the teacher while it had produced %d to %d of %d%n",
                        answers.size(), producedBefore, teacher.run(RUN).produced(), SAMPLES);

                List<TrainedSampleCounts> counts = new ArrayList<>();
                List<StudentVerticle> students = new ArrayList<>();
                for (int s = 0; s < STUDENTS; s++) {
                    counts.add(new TrainedSampleCounts(PASSES, SAMPLES));
                    students.add(new StudentVerticle(mesh.registry(), counts.get(s)));
                    deploy(mesh, students.get(s), studentConfig(broker, work, s));
                }
                long trainedBefore = trained(students);
                List<RestAnswer> studentAnswers = rest.send(studentCalls(students));
                System.out.printf("MeshLoadTest: %d requests to the students while they had trained %d to %d of %d%n",
                        studentAnswers.size(), trainedBefore, trained(students), STUDENTS * PASSES * SAMPLES);
                answers.addAll(studentAnswers);

                for (StudentVerticle student : students) {
                    awaitEnd(student.loop());
                }
                JsonObject run = rest.json(teacher.port(), "/runs/" + RUN);
                printNumbers(run, answers, blocked);

                assertEquals("DONE", run.getString("state"), run.encode());
                assertEquals(SAMPLES, run.getLong("produced"), run.encode());
                for (int s = 0; s < STUDENTS; s++) {
                    StudentVerticle student = students.get(s);
                    assertEquals(StudentTrainingLoop.State.DONE, student.loop().state(), student.status().encode());
                    assertEquals(List.of(), counts.get(s).notExactlyOnce(), "student s" + s);
                }
                List<RestAnswer> unexpected = answers.stream().filter(a -> !a.asExpected()).toList();
                assertEquals(List.of(), unexpected, unexpected.size() + " of " + answers.size()
                        + " REST requests were not answered as expected");
                assertEquals(List.of(), blocked.atLeast(BLOCKED_MILLIS), "Vert.x threads blocked");
            } finally {
                mesh.vertx().close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
            }
        }
    }

    /** Reads, health, metrics, the run asked for again (200), under another spec (409), and malformed (400). */
    private static List<RestCall> teacherCalls(int port) {
        List<RestCall> calls = new ArrayList<>();
        String otherSpec = new JsonObject(RUN_SPEC).put("temperature", 5.0).encode();
        for (int i = 0; i < 40; i++) {
            calls.add(RestCall.get(port, "/runs", 200));
            calls.add(RestCall.get(port, "/runs/" + RUN, 200));
            calls.add(RestCall.post(port, "/runs", RUN_SPEC, 200));
        }
        for (int i = 0; i < 20; i++) {
            calls.add(RestCall.get(port, "/health", 200));
            calls.add(RestCall.get(port, "/metrics", 200));
        }
        for (int i = 0; i < 8; i++) {
            calls.add(RestCall.post(port, "/runs", otherSpec, 409));
        }
        for (int i = 0; i < 4; i++) {
            calls.add(RestCall.get(port, "/runs/not-" + RUN, 404));
        }
        for (String body : MALFORMED_RUN_SPECS) {
            calls.add(RestCall.post(port, "/runs", body, 400));
        }
        Collections.shuffle(calls, new Random(1));
        return calls;
    }

    private static List<RestCall> studentCalls(List<StudentVerticle> students) {
        List<RestCall> calls = new ArrayList<>();
        for (StudentVerticle student : students) {
            for (int i = 0; i < 6; i++) {
                calls.add(RestCall.get(student.port(), "/status", 200));
            }
            for (int i = 0; i < 3; i++) {
                calls.add(RestCall.get(student.port(), "/health", 200));
            }
            for (int i = 0; i < 2; i++) {
                calls.add(RestCall.get(student.port(), "/metrics", 200));
            }
        }
        Collections.shuffle(calls, new Random(2));
        return calls;
    }

    private static void printNumbers(JsonObject run, List<RestAnswer> answers, BlockedThreadReports blocked) {
        RestAnswer slowest = answers.stream().max(Comparator.comparingLong(RestAnswer::nanos)).orElseThrow();
        System.out.printf("MeshLoadTest: run '%s' produced %d samples in %s s (teacher CPU %s s): %s samples/s%n",
                RUN, run.getLong("produced"), run.getValue("wallSeconds"), run.getValue("cpuSeconds"),
                run.getValue("samplesPerSecond"));
        System.out.printf("MeshLoadTest: %d REST requests, the slowest answered in %d ms: %s%n", answers.size(),
                slowest.millis(), slowest.call());
        System.out.println("MeshLoadTest: longest hold of a Vert.x thread: " + blocked.longest()
                .map(Object::toString).orElse("under " + REPORTED_HOLD_MILLIS + " ms"));
    }

    private static JsonObject studentConfig(EmbeddedKafkaBroker broker, Path work, int s) {
        return new JsonObject().put("http.port", 0).put("http.host", "127.0.0.1")
                .put("kafka.bootstrap.servers", broker.bootstrapServers())
                .put("checkpoint.dir", work.resolve("checkpoints").toString())
                .put("student.id", "s" + s).put("student.run", RUN)
                .put("student.temperature", 1.0 + s % 4).put("student.epochs", PASSES)
                .put("student.batch-size", 100).put("student.hidden", "32");
    }

    private static long trained(List<StudentVerticle> students) {
        return students.stream().mapToLong(s -> s.loop().samplesTrained()).sum();
    }

    private static void deploy(MeshVertx mesh, Deployable verticle, JsonObject config) throws Exception {
        mesh.vertx().deployVerticle(verticle, new DeploymentOptions().setConfig(config))
                .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    }

    private static void awaitEnd(StudentTrainingLoop loop) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(5);
        while ((loop.state() == StudentTrainingLoop.State.STARTING
                || loop.state() == StudentTrainingLoop.State.TRAINING) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }
}
