package io.distillmesh.standalone;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.PartitionSnapshot;
import io.distillmesh.messaging.records.CheckpointRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MeshFanOutTest {
    private static final int SAMPLES = 1000;
    private static final int PASSES = 2;
    private static final int STUDENTS = 4;

    @Test
    void fourStudentsOnOneStreamEachTrainOnEverySampleOfEveryPassExactlyOnce(@TempDir Path work) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"))) {
            MeshVertx mesh = MeshVertx.create();
            try {
                TeacherVerticle teacher = new TeacherVerticle(mesh.registry());
                deploy(mesh, teacher, new JsonObject().put("http.port", 0)
                        .put("kafka.bootstrap.servers", broker.bootstrapServers())
                        .put("models.dir", Path.of("../../models").toAbsolutePath().normalize().toString()));
                WebClient client = WebClient.create(mesh.vertx());
                var created = client.post(teacher.port(), "localhost", "/runs").sendJsonObject(new JsonObject()
                                .put("runId", "fanout").put("limit", SAMPLES).put("temperature", 3.0))
                        .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
                assertEquals(202, created.statusCode(), created.bodyAsString());

                List<AtomicIntegerArray> seen = new ArrayList<>();
                List<StudentVerticle> students = new ArrayList<>();
                for (int s = 0; s < STUDENTS; s++) {
                    AtomicIntegerArray counts = new AtomicIntegerArray(PASSES * SAMPLES);
                    seen.add(counts);
                    StudentVerticle student = new StudentVerticle(mesh.registry(), (pass, ids) -> {
                        for (long id : ids) {
                            counts.incrementAndGet(pass * SAMPLES + (int) id);
                        }
                    });
                    deploy(mesh, student, new JsonObject().put("http.port", 0)
                            .put("kafka.bootstrap.servers", broker.bootstrapServers())
                            .put("checkpoint.dir", work.resolve("checkpoints").toString())
                            .put("student.id", "s" + s).put("student.run", "fanout")
                            .put("student.temperature", 1.0 + s).put("student.epochs", PASSES)
                            .put("student.batch-size", 50).put("student.hidden", "32"));
                    students.add(student);
                }
                for (StudentVerticle student : students) {
                    awaitEnd(student.loop());
                    assertEquals(StudentTrainingLoop.State.DONE, student.loop().state(), student.status().encode());
                }
                for (int s = 0; s < STUDENTS; s++) {
                    for (int i = 0; i < PASSES * SAMPLES; i++) {
                        assertEquals(1, seen.get(s).get(i), "student s" + s + ", pass " + i / SAMPLES
                                + ", sample " + i % SAMPLES);
                    }
                }

                JsonObject status = client.get(students.get(0).port(), "localhost", "/status").send()
                        .toCompletionStage().toCompletableFuture().get().bodyAsJsonObject();
                assertEquals(PASSES * SAMPLES, status.getLong("samplesTrained"));
                String teacherMetrics = client.get(teacher.port(), "localhost", "/metrics").send()
                        .toCompletionStage().toCompletableFuture().get().bodyAsString();
                assertTrue(teacherMetrics.contains("dm_teacher_records_produced_total{run=\"fanout\"} 1000.0"),
                        teacherMetrics);
                String studentMetrics = client.get(students.get(3).port(), "localhost", "/metrics").send()
                        .toCompletionStage().toCompletableFuture().get().bodyAsString();
                assertTrue(studentMetrics.contains("dm_student_samples_trained_total{run=\"fanout\",student=\"s3\"} 2000.0"),
                        studentMetrics);
                assertEquals(PASSES * SAMPLES, lastCheckpoints(broker).get("s2").samplesTrained(),
                        "the newest checkpoint record of s2 on " + Topics.CHECKPOINTS);
                assertEquals(200, client.get(students.get(1).port(), "localhost", "/health").send()
                        .toCompletionStage().toCompletableFuture().get().statusCode());
            } finally {
                mesh.vertx().close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
            }
        }
    }

    private static void deploy(MeshVertx mesh, io.vertx.core.Deployable verticle, JsonObject config) throws Exception {
        mesh.vertx().deployVerticle(verticle, new DeploymentOptions().setConfig(config))
                .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    }

    private static Map<String, CheckpointRecord> lastCheckpoints(EmbeddedKafkaBroker broker) {
        Map<String, CheckpointRecord> last = new java.util.HashMap<>();
        for (ConsumerRecord<String, byte[]> r : PartitionSnapshot.read(broker.bootstrapServers(), Topics.CHECKPOINTS, false)) {
            last.put(r.key(), CheckpointRecord.decode(r.value()));
        }
        return last;
    }

    private static void awaitEnd(StudentTrainingLoop loop) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 300_000;
        while ((loop.state() == StudentTrainingLoop.State.STARTING
                || loop.state() == StudentTrainingLoop.State.TRAINING) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }
}
