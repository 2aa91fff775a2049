package io.distillmesh.student;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.records.RunRecordCodec;
import io.distillmesh.messaging.records.SoftTargetBatchRecord;
import io.distillmesh.messaging.records.SoftTargetRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records that decode but that a student cannot train on (wrong input length, wrong class count, a label its network
 * does not have, a log-probability of −∞, an input value outside the pixel range) go to the dead-letter topic
 * with the reason and where they came from; training goes on.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class UnusableSoftTargetsTest {
    private static final int SAMPLES = 300;
    private static final Map<Integer, byte[]> INTRUDERS = Map.of(
            100, encode(new SoftTargetRecord(90_001, 0, 3, 4f, "intruder", new float[10], uniform(10))),
            150, encode(new SoftTargetRecord(90_002, 0, 11, 4f, "intruder", new float[784], uniform(12))),
            220, encode(new SoftTargetRecord(90_003, 0, SoftTargetRecord.UNLABELLED, 4f, "intruder", new float[784],
                    uniform(3))),
            260, encode(new SoftTargetRecord(90_004, 0, 2, 4f, "intruder", new float[784], certain(2))),
            280, encode(new SoftTargetRecord(90_005, 0, 2, 4f, "intruder", huge(), uniform(10))));
    private static EmbeddedKafkaBroker broker;
    private static Producer<String, byte[]> producer;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopic(Topics.DEAD_LETTERS, 1, Map.of());
        producer = new KafkaProducer<>(RunFixture.kafka(broker).producer("test"));
        RunFixture.stream(broker, "clean", SAMPLES, 1, Integer.MAX_VALUE, 1);
        RunFixture.stream(broker, "clean-batched", SAMPLES, 1, Integer.MAX_VALUE, 50);
    }

    @AfterAll
    static void stop() {
        producer.close();
        broker.close();
    }

    @Test
    void aStudentDeadLettersSamplesOfTheWrongShapeAndTrainsOnEveryOtherOne(@TempDir Path dir) throws Exception {
        FaultyStream.copy(broker, Topics.softTargets("clean"), Topics.softTargets("intruded"), INTRUDERS);
        StudentSpec spec = StudentSpec.fromJson(new JsonObject().put("studentId", "plain").put("runId", "intruded")
                .put("alpha", 0.9).put("temperature", 4.0).put("epochs", 1).put("batchSize", 32)
                .put("checkpointEveryBatches", 50).put("seed", 3));
        trainsAroundTheIntruders(spec, dir, SAMPLES, "intruded");
    }

    @Test
    void aSpecialistDeadLettersSamplesOfTheWrongShapeAndTrainsOnItsShareOfTheRest(@TempDir Path dir) throws Exception {
        FaultyStream.copy(broker, Topics.softTargets("clean"), Topics.softTargets("intruded-generalist"), INTRUDERS);
        StudentSpec spec = StudentSpec.fromJson(new JsonObject().put("studentId", "specialist")
                .put("runId", "intruded-generalist").put("architecture", "specialist")
                .put("classes", new JsonArray().add(0).add(2).add(4).add(6))
                .put("generalist", RunFixture.TEACHER.toString()).put("alpha", 0.7).put("temperature", 4.0)
                .put("epochs", 1).put("batchSize", 32).put("checkpointEveryBatches", 20).put("seed", 5)
                .put("learningRate", 5e-4));
        long kept = 0;
        for (int id = 0; id < SAMPLES; id++) {
            kept += spec.specialist().sampling().keeps(id, RunFixture.train().labels()[id]) ? 1 : 0;
        }
        trainsAroundTheIntruders(spec, dir, kept, "intruded-generalist");
    }

    @Test
    void aRecordOfSeveralSamplesWithOneThatDoesNotFitIsDeadLetteredWhole(@TempDir Path dir) throws Exception {
        SoftTargetRecord good = new SoftTargetRecord(90_010, 0, 1, 4f, "intruder", new float[784], uniform(10));
        byte[] intruder = RunRecordCodec.encode(new SoftTargetBatchRecord(List.of(good,
                new SoftTargetRecord(90_011, 0, 2, 4f, "intruder", huge(), uniform(10)), good)));
        FaultyStream.copy(broker, Topics.softTargets("clean-batched"), Topics.softTargets("batch-intruded"),
                Map.of(3, intruder));
        StudentSpec spec = StudentSpec.fromJson(new JsonObject().put("studentId", "batched").put("runId",
                        "batch-intruded").put("alpha", 0.9).put("temperature", 4.0).put("epochs", 1).put("batchSize", 32)
                .put("checkpointEveryBatches", 50).put("seed", 3));
        MeterRegistry registry = new SimpleMeterRegistry();
        StudentTrainingLoop loop = runToTheEnd(spec, dir, registry);
        assertEquals(SAMPLES, loop.samplesTrained(), "none of the intruder's samples, all of the teacher's");
        assertEquals(1.0, registry.get("dm.dead.letters").counter().count());
        producer.flush();
        String topic = Topics.softTargets("batch-intruded");
        String reason = FaultyStream.deadLetters(broker, topic).get("injected-3");
        assertTrue(reason.matches(".*sample 90011 has input value 1.0E30 at index 0.*\\(2 of the record's 3\\).*\\| "
                + topic + "/0@3"), reason);
    }

    private static void trainsAroundTheIntruders(StudentSpec spec, Path dir, long trainable, String run) {
        MeterRegistry registry = new SimpleMeterRegistry();
        StudentTrainingLoop loop = runToTheEnd(spec, dir, registry);
        assertEquals(trainable, loop.samplesTrained());
        assertEquals(5.0, registry.get("dm.dead.letters").counter().count());
        producer.flush();
        String topic = Topics.softTargets(run);
        Map<String, String> dead = FaultyStream.deadLetters(broker, topic);
        assertTrue(dead.get("injected-100").matches(".*10 input values.*784.*\\| " + topic + "/0@100"), dead.toString());
        assertTrue(dead.get("injected-150").matches(".*12 classes.*10.*\\| " + topic + "/0@151"), dead.toString());
        assertTrue(dead.get("injected-220").matches(".*3 classes.*10.*\\| " + topic + "/0@222"), dead.toString());
        assertTrue(dead.get("injected-260").matches(".*log-probability -Infinity at class 0.*\\| " + topic + "/0@263"),
                dead.toString());
        assertTrue(dead.get("injected-280").matches(".*input value 1.0E30 at index 0.*\\| " + topic + "/0@284"),
                dead.toString());
    }

    private static StudentTrainingLoop runToTheEnd(StudentSpec spec, Path dir, MeterRegistry registry) {
        StudentTrainingLoop loop = new StudentTrainingLoop(spec, RunFixture.kafka(broker),
                new CheckpointStore(dir.resolve(spec.studentId())), new DeadLetterPublisher(producer, registry, "student"),
                registry, StudentTrainingLoop.TrainedBatchListener.NONE);
        loop.run();
        assertEquals(StudentTrainingLoop.State.DONE, loop.state(), loop.error());
        return loop;
    }

    private static float[] uniform(int classes) {
        float[] logProbs = new float[classes];
        Arrays.fill(logProbs, (float) Math.log(1.0 / classes));
        return logProbs;
    }

    /** All probability on one class: the others' log-probabilities are −∞, which decodes. */
    private static float[] certain(int label) {
        float[] logProbs = new float[10];
        Arrays.fill(logProbs, Float.NEGATIVE_INFINITY);
        logProbs[label] = 0;
        return logProbs;
    }

    private static float[] huge() {
        float[] input = new float[784];
        Arrays.fill(input, 1e30f);
        return input;
    }

    private static byte[] encode(SoftTargetRecord record) {
        return RunRecordCodec.encode(record);
    }
}
