package io.distillmesh.student;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.PartitionSnapshot;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A topic as a teacher's stream looks when foreign records got into it: a clean topic copied record by record, with
 * the injected values sent just before the clean record at their position (keyed {@code injected-<position>}).
 */
final class FaultyStream {
    private FaultyStream() {
    }

    static void copy(EmbeddedKafkaBroker broker, String from, String to, Map<Integer, byte[]> injected) throws Exception {
        broker.createTopic(to, 1, Map.of("retention.ms", "-1"));
        List<ConsumerRecord<String, byte[]>> clean = readAll(broker, from);
        try (Producer<String, byte[]> producer = new KafkaProducer<>(RunFixture.kafka(broker).producer("faulty-teacher"))) {
            for (int i = 0; i < clean.size(); i++) {
                if (injected.containsKey(i)) {
                    producer.send(new ProducerRecord<>(to, "injected-" + i, injected.get(i)));
                }
                producer.send(new ProducerRecord<>(to, clean.get(i).key(), clean.get(i).value()));
            }
            producer.flush();
        }
    }

    /** Every record of a topic's partition 0, up to its end offset now. */
    static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedKafkaBroker broker, String topic) {
        return PartitionSnapshot.read(RunFixture.kafka(broker).consumer("reader-" + System.nanoTime(), "reader"), topic,
                Duration.ofSeconds(60));
    }

    /** The reasons of the dead letters that came from {@code source}, by key, each with its source after " | ". */
    static Map<String, String> deadLetters(EmbeddedKafkaBroker broker, String source) {
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(broker, Topics.DEAD_LETTERS)) {
            String from = header(r, DeadLetterPublisher.HEADER_SOURCE);
            if (from.startsWith(source + "/")) {
                reasons.put(r.key(), header(r, DeadLetterPublisher.HEADER_REASON) + " | " + from);
            }
        }
        return reasons;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
