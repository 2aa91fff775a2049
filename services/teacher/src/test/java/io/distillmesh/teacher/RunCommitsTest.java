package io.distillmesh.teacher;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunCommitsTest {

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aRunsProgressIsWhatWasCommittedEvenWhileATransactionHoldsTheNextOffsets(@TempDir Path dir) throws Exception {
        String runId = "held";
        TopicPartition work = new TopicPartition(Topics.work(runId), 0);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            broker.createTopic(work.topic(), 1, Map.of());
            KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), Map.of());
            ConsumerGroupMetadata group = new ConsumerGroupMetadata(WorkLoop.GROUP);
            try (Producer<String, byte[]> teacher = new KafkaProducer<>(
                    kafka.transactionalProducer("teacher", "teacher-held", 60_000));
                 RunCommits commits = new RunCommits(kafka, id -> 1)) {
                teacher.initTransactions();
                teacher.beginTransaction();
                teacher.sendOffsetsToTransaction(Map.of(work, new OffsetAndMetadata(3)), group);
                teacher.commitTransaction();
                teacher.beginTransaction();
                teacher.sendOffsetsToTransaction(Map.of(work, new OffsetAndMetadata(4)), group);

                assertEquals(Map.of(work, new OffsetAndMetadata(3)), commits.committed(runId),
                        "the committed offset, not nothing, while the next piece's transaction is open");
                teacher.commitTransaction();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!new OffsetAndMetadata(4).equals(commits.committed(runId).get(work))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(Map.of(work, new OffsetAndMetadata(4)), commits.committed(runId),
                        "the next piece, once committed");
            }
        }
    }
}
