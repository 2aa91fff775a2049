package io.distillmesh.distiller;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reads a one-partition topic of the test broker from its start to its current end. */
final class TopicReader {
    private TopicReader() {
    }

    static <T> List<T> readAll(String bootstrapServers, String topic, String key, Function<byte[], T> decoder) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrapServers,
                "key.deserializer", StringDeserializer.class, "value.deserializer", ByteArrayDeserializer.class);
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        out.add(decoder.apply(r.value()));
                    }
                }
            }
        }
        return out;
    }
}
