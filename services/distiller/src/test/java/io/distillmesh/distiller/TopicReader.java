package io.distillmesh.distiller;

import io.distillmesh.messaging.kafka.PartitionSnapshot;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads a one-partition topic of the test broker from its start to its current end. */
final class TopicReader {
    private TopicReader() {
    }

    static <T> List<T> readAll(String bootstrapServers, String topic, String key, Function<byte[], T> decoder) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : PartitionSnapshot.read(bootstrapServers, topic, false)) {
            if (key.equals(r.key())) {
                out.add(decoder.apply(r.value()));
            }
        }
        return out;
    }
}
