package io.distillmesh.teacher;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.kafka.PartitionSnapshot;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The runs a teacher has taken, kept in Kafka ({@link Topics#RUNS}: each run's spec as JSON, keyed by run id,
 * compacted), so that a teacher started again, or another replica, knows each run's spec. How far each run got is
 * in the teachers' offsets on its work topic ({@link RunCommits}). Blocking: call it from a worker.
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

    /** Saves the spec and waits until Kafka has it, so that other replicas find it once the run's work is out. */
    void save(RunSpec spec) {
        try {
            producer.send(new ProducerRecord<>(Topics.RUNS, spec.runId(),
                    spec.toJson().encode().getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot save run " + spec.runId() + " to " + Topics.RUNS + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while saving run " + spec.runId(), e);
        }
    }

    /** Every run taken so far, the newest spec per run id, in the order they were first taken. */
    List<RunSpec> load() {
        Map<String, RunSpec> specs = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : PartitionSnapshot.read(kafka.consumer("teacher-run-records", "teacher"),
                Topics.RUNS, READ_TIMEOUT)) {
            try {
                specs.put(r.key(), RunSpec.fromJson(new JsonObject(new String(r.value(), StandardCharsets.UTF_8)),
                        defaultModel));
            } catch (RuntimeException e) {
                System.err.println("teacher: skipping run record " + r.key() + " at " + Topics.RUNS + "@"
                        + r.offset() + ": " + e.getMessage());
            }
        }
        return new ArrayList<>(specs.values());
    }
}
