package io.distillmesh.student;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.MINUTES)
class StudentTrainingLoopTest {
    private static EmbeddedKafkaBroker broker;
    private static Producer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopic(Topics.DEAD_LETTERS, 1, Map.of());
        producer = new KafkaProducer<>(RunFixture.kafka(broker).producer("test"));
    }

    @AfterAll
    static void stop() {
        producer.close();
        broker.close();
    }

    @Test
    void afterAHardStopItResumesFromTheCheckpointAndTrainsEverySampleOfEveryPassExactlyOnce(@TempDir Path dir)
            throws Exception {
        int samples = 1200;
        int epochs = 3;
        RunFixture.stream(broker, "resume", samples, 1, Integer.MAX_VALUE);
        StudentSpec spec = spec("resume-student", "resume", 0.9, epochs, 40, 7);
        CheckpointStore store = new CheckpointStore(dir.resolve("resume-student"));

        List<long[]> firstBatches = Collections.synchronizedList(new ArrayList<>());
        List<Integer> firstPasses = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<StudentTrainingLoop> running = new AtomicReference<>();
        StudentTrainingLoop first = loop(spec, store, (pass, ids) -> {
            firstPasses.add(pass);
            firstBatches.add(ids);
            if (firstBatches.size() == 45) {
                running.get().abort(); // batch 45 is not a checkpoint's (every 7th): batches 43-45 are lost
            }
        });
        running.set(first);
        Thread thread = new Thread(first);
        thread.start();
        thread.join();
        Checkpoint saved = store.latest(spec).orElseThrow();
        assertTrue(saved.skip() > 0, "the checkpoint lies inside a record of several samples: " + saved);
        assertTrue(saved.samplesTrained() > 0 && saved.samplesTrained() < first.samplesTrained(),
                "the hard stop must lose work done after the checkpoint: checkpoint " + saved.samplesTrained()
                        + ", trained " + first.samplesTrained());

        Map<Integer, List<long[]>> byPass = new HashMap<>();
        for (int b = 0; b < saved.batches(); b++) {
            byPass.computeIfAbsent(firstPasses.get(b), p -> new ArrayList<>()).add(firstBatches.get(b));
        }
        StudentTrainingLoop second = loop(spec, store,
                (pass, ids) -> byPass.computeIfAbsent(pass, p -> new ArrayList<>()).add(ids));
        second.run();
        assertEquals(StudentTrainingLoop.State.DONE, second.state(), second.error());

        assertEquals((long) epochs * samples, store.latest(spec).orElseThrow().samplesTrained());
        assertEquals((long) epochs * samples, second.samplesTrained());
        for (int pass = 0; pass < epochs; pass++) {
            int[] seen = new int[samples];
            for (long[] ids : byPass.getOrDefault(pass, List.of())) {
                for (long id : ids) {
                    seen[(int) id]++;
                }
            }
            for (int id = 0; id < samples; id++) {
                assertEquals(1, seen[id], "pass " + pass + ", sample " + id);
            }
        }
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicWithTheReasonAndTrainingGoesOn(@TempDir Path dir) throws Exception {
        String topic = Topics.softTargets("dirty");
        broker.createTopic(topic, 1, Map.of("retention.ms", "-1"));
        producer.send(new ProducerRecord<>(topic, "junk", "hello".getBytes(StandardCharsets.UTF_8))).get();
        producer.send(new ProducerRecord<>(topic, "v9", new byte[]{'D', 'M', 9, 1, 0, 0})).get();
        RunFixture.stream(broker, "dirty", 200, 1, Integer.MAX_VALUE);
        MeterRegistry registry = new SimpleMeterRegistry();
        StudentTrainingLoop loop = new StudentTrainingLoop(spec("dirty-student", "dirty", 0.5, 1, 50, 2),
                RunFixture.kafka(broker), new CheckpointStore(dir.resolve("dirty-student")),
                new DeadLetterPublisher(producer, registry, "student"), registry,
                StudentTrainingLoop.TrainedBatchListener.NONE);
        loop.run();
        assertEquals(StudentTrainingLoop.State.DONE, loop.state(), loop.error());
        assertEquals(200, loop.samplesTrained());
        assertEquals(2.0, registry.get("dm.dead.letters").counter().count());

        Map<String, String> reasons = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(), "key.deserializer", StringDeserializer.class,
                "value.deserializer", ByteArrayDeserializer.class))) {
            TopicPartition tp = new TopicPartition(Topics.DEAD_LETTERS, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + 30_000;
            while (reasons.size() < 2 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    reasons.put(r.key(), new String(r.headers().lastHeader(DeadLetterPublisher.HEADER_REASON).value(),
                            StandardCharsets.UTF_8));
                    if (r.key().equals("junk")) {
                        assertEquals("hello", new String(r.value(), StandardCharsets.UTF_8), "original bytes kept");
                    }
                }
            }
        }
        assertTrue(reasons.get("junk").contains("bad magic"), reasons.toString());
        assertTrue(reasons.get("v9").contains("unknown record version 9"), reasons.toString());
    }

    @Test
    void theHardLabelBaselineTrainsOnlyOnLabelledSamples(@TempDir Path dir) {
        RunFixture.stream(broker, "partly-labelled", 300, 1, 120);
        StudentTrainingLoop baseline = loop(spec("baseline", "partly-labelled", 0.0, 2, 32, 50),
                new CheckpointStore(dir.resolve("baseline")), StudentTrainingLoop.TrainedBatchListener.NONE);
        StudentTrainingLoop distilled = loop(spec("distilled", "partly-labelled", 0.7, 2, 32, 50),
                new CheckpointStore(dir.resolve("distilled")), StudentTrainingLoop.TrainedBatchListener.NONE);
        baseline.run();
        distilled.run();
        assertEquals(2 * 120, baseline.samplesTrained());
        assertEquals(2 * 300, distilled.samplesTrained());
    }

    private static StudentSpec spec(String id, String run, double alpha, int epochs, int batch, int every) {
        return StudentSpec.fromJson(new JsonObject().put("studentId", id).put("runId", run).put("alpha", alpha)
                .put("temperature", 4.0).put("epochs", epochs).put("batchSize", batch)
                .put("checkpointEveryBatches", every).put("seed", 3));
    }

    private static StudentTrainingLoop loop(StudentSpec spec, CheckpointStore store,
                                            StudentTrainingLoop.TrainedBatchListener listener) {
        MeterRegistry registry = new SimpleMeterRegistry();
        return new StudentTrainingLoop(spec, RunFixture.kafka(broker), store,
                new DeadLetterPublisher(producer, registry, "student"), registry, listener);
    }
}
