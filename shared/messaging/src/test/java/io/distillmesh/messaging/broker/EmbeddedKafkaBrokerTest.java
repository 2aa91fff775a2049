package io.distillmesh.messaging.broker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EmbeddedKafkaBrokerTest {

    private static final String TOPIC = "embedded-broker-test";
    private static final int COUNT = 100;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void producesAndConsumesThroughRealBroker() throws Exception {
        long t0 = System.nanoTime();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        Path dir = broker.logDir();
        System.out.printf("broker started in %d ms at %s%n", millisSince(t0), broker.bootstrapServers());
        try {
            broker.createTopic(TOPIC, 1, Map.of("retention.ms", "3600000"));
            broker.createTopic(TOPIC, 1, Map.of()); // idempotent

            produce(broker.bootstrapServers());
            assertEquals(expectedValues(), consume(broker.bootstrapServers()));
        } finally {
            long t1 = System.nanoTime();
            broker.close();
            System.out.printf("broker stopped in %d ms%n", millisSince(t1));
        }
        assertDoesNotThrow(broker::close);
        assertFalse(Files.exists(dir), "temp log dir should be deleted on close");
    }

    private static void produce(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (String value : expectedValues()) {
                acks.add(producer.send(new ProducerRecord<>(TOPIC, "key", value)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> consume(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "embedded-broker-test-group");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < COUNT && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    assertEquals(values.size(), r.offset(), "records must arrive in order from offset 0");
                    values.add(r.value());
                }
            }
            consumer.commitSync();
        }
        return values;
    }

    private static List<String> expectedValues() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            values.add("value-" + i);
        }
        return values;
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
