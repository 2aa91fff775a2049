package io.distillmesh.messaging.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The records of a topic's partition 0 from its start up to its end offset at the time of the call: what a
 * compacted topic holds (the teacher's runs), or what a test's broker has on a topic now. Blocking.
 */
public final class PartitionSnapshot {
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    private PartitionSnapshot() {
    }

    /**
     * With a consumer of {@code consumerSettings} (string keys, byte-array values; no group offsets are used or
     * committed); an {@link IllegalStateException} when it takes over {@code timeout}.
     */
    public static List<ConsumerRecord<String, byte[]>> read(Map<String, Object> consumerSettings, String topic,
                                                            Duration timeout) {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerSettings)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " took over " + timeout.toSeconds() + " s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * With a plain consumer of {@code bootstrapServers}: the committed records only ({@code committedOnly}, as the
     * services read), or every record, those of aborted transactions too.
     */
    public static List<ConsumerRecord<String, byte[]>> read(String bootstrapServers, String topic, boolean committedOnly) {
        return read(Map.of("bootstrap.servers", bootstrapServers,
                "isolation.level", committedOnly ? "read_committed" : "read_uncommitted",
                "key.deserializer", StringDeserializer.class, "value.deserializer", ByteArrayDeserializer.class),
                topic, TOOL_TIMEOUT);
    }
}
