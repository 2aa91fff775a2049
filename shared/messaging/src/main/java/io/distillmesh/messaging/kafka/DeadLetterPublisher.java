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
 * with headers saying where it came from and why it was refused. Counted in {@code dm_dead_letters_total}.
 */
public final class DeadLetterPublisher {
    public static final String HEADER_REASON = "dm.error.reason";
    public static final String HEADER_SOURCE = "dm.source";
    private final Producer<String, byte[]> producer;
    private final Counter counter;

    public DeadLetterPublisher(Producer<String, byte[]> producer, MeterRegistry registry, String service) {
        this.producer = producer;
        this.counter = Counter.builder("dm.dead.letters").description("records sent to the dead-letter topic")
                .tag("service", service).register(registry);
    }

    public void publish(ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.DEAD_LETTERS, record.key(), record.value());
        dead.headers().add(HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        dead.headers().add(HEADER_SOURCE, (record.topic() + "/" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        producer.send(dead);
        counter.increment();
    }
}
