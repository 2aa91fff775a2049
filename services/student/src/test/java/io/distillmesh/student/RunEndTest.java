package io.distillmesh.student;


import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.records.RunEndRecord;
import io.distillmesh.messaging.records.RunRecordCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pass over a run ends at the run-end record the teacher wrote after all its samples, and at no other. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RunEndTest {
    private static final int SAMPLES = 600;
    private static final int SAMPLES_PER_RECORD = 10;
    private static final int RECORDS = SAMPLES / SAMPLES_PER_RECORD;
    /** Where the forged end record goes: after 25 records, 250 samples. */
    private static final int EARLY = 25;
    private static EmbeddedKafkaBroker broker;
    private static Producer<String, byte[]> producer;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopic(Topics.DEAD_LETTERS, 1, Map.of());
        producer = new KafkaProducer<>(RunFixture.kafka(broker).producer("test"));
        RunFixture.stream(broker, "clean", SAMPLES, 1, Integer.MAX_VALUE, SAMPLES_PER_RECORD);
        FaultyStream.copy(broker, Topics.softTargets("clean"), Topics.softTargets("early-end"),
                Map.of(EARLY, RunRecordCodec.encode(new RunEndRecord(1, SAMPLES, RECORDS))));
    }

    @AfterAll
    static void stop() {
        producer.close();
        broker.close();
    }

    @Test
    void aRunEndBeforeTheSamplesItDeclaresIsDeadLetteredAndTheStudentTrainsOnToTheRealEnd(@TempDir Path dir) {
        MeterRegistry registry = new SimpleMeterRegistry();
        StudentTrainingLoop loop = loop(spec("one-pass", "early-end", 1, 2), new CheckpointStore(dir.resolve("s")), registry,
                StudentTrainingLoop.TrainedBatchListener.NONE);
        loop.run();
        assertEquals(StudentTrainingLoop.State.DONE, loop.state(), loop.error());
        assertEquals(SAMPLES, loop.samplesTrained());
        assertEquals(io.distillmesh.core.engine.TrainingStep.ENGINE, loop.trainer().trainingPath(), "a dense student trains through the engine");
        assertEquals(1.0, registry.get("dm.dead.letters").counter().count());
        producer.flush();
        String topic = Topics.softTargets("early-end");
        String reason = FaultyStream.deadLetters(broker, topic).get("injected-" + EARLY);
        assertTrue(reason.matches(".*early-end.*declares " + RECORDS + ".*read " + EARLY + ".*\\| " + topic + "/0@"
                + EARLY), reason);
    }

    @Test
    void aStudentResumedPastAnEarlyRunEndStillTrainsEveryPassToTheRealEnd(@TempDir Path dir) throws Exception {
        StudentSpec spec = spec("resumed", "early-end", 2, 2);
        CheckpointStore store = new CheckpointStore(dir.resolve("resumed"));
        StudentTrainingLoop[] first = new StudentTrainingLoop[1];
        long[] trained = new long[1];
        first[0] = loop(spec, store, new SimpleMeterRegistry(), (pass, ids) -> {
            trained[0] += ids.length;
            if (pass == 0 && trained[0] >= EARLY * SAMPLES_PER_RECORD + 150) {
                first[0].abort();
            }
        });
        Thread thread = new Thread(first[0]);
        thread.start();
        thread.join();
        Checkpoint saved = store.latest(spec).orElseThrow();
        assertTrue(saved.pass() == 0 && saved.offset() > EARLY, "resumes past the early end: " + saved);

        StudentTrainingLoop second = loop(spec, store, new SimpleMeterRegistry(),
                StudentTrainingLoop.TrainedBatchListener.NONE);
        runWithin(second, 120);
        assertEquals(StudentTrainingLoop.State.DONE, second.state(), second.error());
        assertEquals(2L * SAMPLES, store.latest(spec).orElseThrow().samplesTrained());
        assertEquals(2L * SAMPLES, second.samplesTrained());
    }

    @Test
    void aStudentStoppedRightAfterAPasssLastBatchEndsThatPassOnRestart(@TempDir Path dir) throws Exception {
        StudentSpec spec = spec("last-batch", "clean", 1, 1);
        CheckpointStore store = new CheckpointStore(dir.resolve("last-batch"));
        StudentTrainingLoop[] first = new StudentTrainingLoop[1];
        first[0] = loop(spec, store, new SimpleMeterRegistry(), (pass, ids) -> {
            if (ids.length < spec.batchSize()) {
                first[0].abort();
            }
        });
        first[0].run();
        assertEquals(SAMPLES, store.latest(spec).orElseThrow().samplesTrained(), "the last batch is checkpointed");

        StudentTrainingLoop second = loop(spec, store, new SimpleMeterRegistry(),
                StudentTrainingLoop.TrainedBatchListener.NONE);
        runWithin(second, 60);
        assertEquals(StudentTrainingLoop.State.DONE, second.state(), second.error());
        assertEquals(SAMPLES, second.samplesTrained());
    }

    private static void runWithin(StudentTrainingLoop loop, int seconds) throws InterruptedException {
        Thread thread = new Thread(loop);
        thread.start();
        thread.join(TimeUnit.SECONDS.toMillis(seconds));
        if (thread.isAlive()) {
            loop.abort();
            thread.join();
        }
    }

    private static StudentSpec spec(String id, String run, int epochs, int checkpointEvery) {
        return StudentSpec.fromJson(new JsonObject().put("studentId", id).put("runId", run).put("alpha", 0.9)
                .put("temperature", 4.0).put("epochs", epochs).put("batchSize", 64)
                .put("checkpointEveryBatches", checkpointEvery).put("seed", 3));
    }

    private static StudentTrainingLoop loop(StudentSpec spec, CheckpointStore store, MeterRegistry registry,
                                            StudentTrainingLoop.TrainedBatchListener listener) {
        return new StudentTrainingLoop(spec, RunFixture.kafka(broker), store,
                new DeadLetterPublisher(producer, registry, "student"), registry, listener);
    }
}
