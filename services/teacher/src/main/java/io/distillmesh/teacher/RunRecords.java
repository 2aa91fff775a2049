package io.distillmesh.teacher;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs a teacher has taken, kept in Kafka ({@link Topics#RUNS}: each run's spec as JSON, keyed by run id,
 * compacted), so that a teacher started again, or another replica, knows which runs to go on with. How far each run
 * got is in its own topics ({@link StreamedSoFar}). Blocking: call it from a worker.
 */
final class RunRecords {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private final KafkaSettings kafka;
    private final Producer<String, byte[]> producer;
    private final String defaultModel;

    RunRecords(KafkaSettings kafka, Producer<String, byte[]> producer, String defaultModel) {
        this.kafka = kafka;
        this.producer = producer;
        this.defaultModel = defaultModel;
    }

    void save(RunSpec spec) {
        producer.send(new ProducerRecord<>(Topics.RUNS, spec.runId(),
                spec.toJson().encode().getBytes(StandardCharsets.UTF_8)));
    }

    /** Every run taken so far, the newest spec per run id, in the order they were first taken. */
    List<RunSpec> load() {
        Map<String, RunSpec> specs = new LinkedHashMap<>();
        TopicPartition partition = new TopicPartition(Topics.RUNS, 0);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer("teacher-run-records", "teacher"))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), READ_TIMEOUT).get(partition);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (consumer.position(partition, READ_TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + Topics.RUNS + " took over " + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        specs.put(r.key(), RunSpec.fromJson(new JsonObject(new String(r.value(), StandardCharsets.UTF_8)),
                                defaultModel));
                    } catch (RuntimeException e) {
                        System.err.println("teacher: skipping run record " + r.key() + " at " + Topics.RUNS + "@"
                                + r.offset() + ": " + e.getMessage());
                    }
                }
            }
        }
        return new ArrayList<>(specs.values());
    }
}
