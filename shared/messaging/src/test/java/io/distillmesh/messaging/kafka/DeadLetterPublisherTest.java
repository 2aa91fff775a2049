package io.distillmesh.messaging.kafka;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeadLetterPublisherTest {
    private static final ConsumerRecord<String, byte[]> REFUSED =
            new ConsumerRecord<>("dm.run.r1", 0, 41, "7", "garbage".getBytes(StandardCharsets.UTF_8));

    @Test
    void aDeadLetterTheBrokerCannotTakeIsCountedAsFailedAndOneItTakesIsNot() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(),
                    Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1500"));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Producer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("dlq-test"))) {
                DeadLetterPublisher deadLetters = new DeadLetterPublisher(producer, registry, "test");
                deadLetters.publish(REFUSED, "bad magic"); // the dead-letter topic does not exist yet
                producer.flush();
                assertEquals(1.0, registry.get("dm.dead.letters").counter().count());
                assertEquals(1.0, registry.get("dm.dead.letters.failed").counter().count());

                broker.createTopic(Topics.DEAD_LETTERS, 1, Map.of());
                deadLetters.publish(REFUSED, "bad magic");
                producer.flush();
                assertEquals(2.0, registry.get("dm.dead.letters").counter().count());
                assertEquals(1.0, registry.get("dm.dead.letters.failed").counter().count());
            }
        }
    }
}
