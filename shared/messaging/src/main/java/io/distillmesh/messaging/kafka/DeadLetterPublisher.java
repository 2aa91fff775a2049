package io.distillmesh.messaging.kafka;

import io.distillmesh.messaging.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * Sends a record that could not be used to {@link Topics#DEAD_LETTERS}: the original key and bytes,
 * with headers saying where it came from and why it was refused. Counted in {@code dm_dead_letters_total}; a dead
 * letter the broker does not take is counted in {@code dm_dead_letters_failed_total} and logged with its source
 * and reason, so that it is not lost without a trace.
 */
public final class DeadLetterPublisher {
    public static final String HEADER_REASON = "dm.error.reason";
    public static final String HEADER_SOURCE = "dm.source";
    private final Producer<String, byte[]> producer;
    private final Counter counter;
    private final Counter failed;

    public DeadLetterPublisher(Producer<String, byte[]> producer, MeterRegistry registry, String service) {
        this.producer = producer;
        this.counter = Counter.builder("dm.dead.letters").description("records sent to the dead-letter topic")
                .tag("service", service).register(registry);
        this.failed = Counter.builder("dm.dead.letters.failed")
                .description("dead letters the broker did not take (source and reason are in the service's log)")
                .tag("service", service).register(registry);
    }

    public void publish(ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.DEAD_LETTERS, record.key(), record.value());
        dead.headers().add(HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        String source = record.topic() + "/" + record.partition() + "@" + record.offset();
        dead.headers().add(HEADER_SOURCE, source.getBytes(StandardCharsets.UTF_8));
        producer.send(dead, (metadata, e) -> {
            if (e != null) {
                failed.increment();
                System.err.println("dead letter of " + source + " (" + reason + ") not written to "
                        + Topics.DEAD_LETTERS + ": " + e.getMessage());
            }
        });
        counter.increment();
    }
}
