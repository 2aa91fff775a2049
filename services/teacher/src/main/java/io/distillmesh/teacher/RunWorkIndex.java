package io.distillmesh.teacher;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each piece of a run sits on its work topic (partition and offset), read once the run's plan is committed.
 * With the teachers' committed group offsets it tells how many samples are streamed and whether every piece but the
 * end is done. Offsets are read, not assumed: a plan written by a teacher that crashed first leaves aborted records
 * before the committed ones.
 */
final class RunWorkIndex {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private final Map<TopicPartition, List<Placed>> pieces;

    private record Placed(long offset, WorkItem item) {
    }

    private RunWorkIndex(Map<TopicPartition, List<Placed>> pieces) {
        this.pieces = pieces;
    }

    /**
     * The run's committed plan of {@code pieces} pieces, or empty while it is not all readable (a transaction's
     * markers reach the partitions one by one). Blocking.
     */
    static Optional<RunWorkIndex> read(KafkaSettings kafka, String runId, int pieces) {
        String topic = Topics.work(runId);
        Map<String, Object> config = kafka.consumer("teacher-work-index", "teacher-work-index");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<TopicPartition, List<Placed>> placed = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, READ_TIMEOUT)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!reached(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " took over " + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    WorkItem item;
                    try {
                        item = WorkItem.decode(r.value());
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    placed.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                            .add(new Placed(r.offset(), item));
                }
            }
        }
        long read = placed.values().stream().mapToLong(List::size).sum();
        return read >= pieces ? Optional.of(new RunWorkIndex(placed)) : Optional.empty();
    }

    private static boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), READ_TIMEOUT) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Samples of the pieces whose offsets the teachers committed. */
    long samplesDone(Map<TopicPartition, OffsetAndMetadata> committed) {
        long done = 0;
        for (Map.Entry<TopicPartition, List<Placed>> partition : pieces.entrySet()) {
            long next = nextOffset(committed, partition.getKey());
            for (Placed p : partition.getValue()) {
                if (p.offset() < next && !p.item().isEnd()) {
                    done += p.item().samples();
                }
            }
        }
        return done;
    }

    /** Every piece but the end is committed. */
    boolean samplesComplete(Map<TopicPartition, OffsetAndMetadata> committed) {
        for (Map.Entry<TopicPartition, List<Placed>> partition : pieces.entrySet()) {
            long next = nextOffset(committed, partition.getKey());
            for (Placed p : partition.getValue()) {
                if (p.offset() >= next && !p.item().isEnd()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The end is committed: the run is over. */
    boolean ended(Map<TopicPartition, OffsetAndMetadata> committed) {
        for (Map.Entry<TopicPartition, List<Placed>> partition : pieces.entrySet()) {
            long next = nextOffset(committed, partition.getKey());
            for (Placed p : partition.getValue()) {
                if (p.item().isEnd()) {
                    return p.offset() < next;
                }
            }
        }
        return false;
    }

    private static long nextOffset(Map<TopicPartition, OffsetAndMetadata> committed, TopicPartition partition) {
        OffsetAndMetadata o = committed.get(partition);
        return o == null ? 0 : o.offset();
    }
}
