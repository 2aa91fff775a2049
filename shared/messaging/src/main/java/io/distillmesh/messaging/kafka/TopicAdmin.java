package io.distillmesh.messaging.kafka;

import io.distillmesh.messaging.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** Creates the mesh's topics with the retention the design asks for. Blocking: call it from a worker. */
public final class TopicAdmin implements AutoCloseable {
    private static final String WEEK_MILLIS = Long.toString(7L * 24 * 3600 * 1000);
    /** The dead-letter topic's configuration: kept a week. */
    public static final Map<String, String> DEAD_LETTER_CONFIG = Map.of("retention.ms", WEEK_MILLIS);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(15);
    private final Admin admin;
    private final short replicationFactor;

    public TopicAdmin(KafkaSettings settings, int replicationFactor) {
        this.admin = Admin.create(settings.admin());
        this.replicationFactor = (short) replicationFactor;
    }

    /**
     * A run's soft-target topic: one partition (students train in the teacher's order and checkpoint one
     * offset) and unlimited retention, so a student that starts late replays the run from offset 0.
     */
    public void ensureRunTopic(String topic) {
        ensure(topic, 1, Map.of("retention.ms", "-1", "retention.bytes", "-1"));
    }

    /** The dead-letter topic (kept a week) and the checkpoint topic (compacted: the newest per student). */
    public void ensureSharedTopics() {
        ensure(Topics.DEAD_LETTERS, 1, DEAD_LETTER_CONFIG);
        ensure(Topics.CHECKPOINTS, 1, Map.of("cleanup.policy", "compact"));
    }

    /**
     * The distillation topics, for the services that read or write them: distilled sets (compacted: the newest
     * per job) and progress reports (kept a week).
     */
    public void ensureDistillationTopics() {
        ensure(Topics.DISTILLED, 1, Map.of("cleanup.policy", "compact"));
        ensure(Topics.DISTILL_PROGRESS, 1, Map.of("retention.ms", WEEK_MILLIS));
    }

    public void ensure(String topic, int partitions, Map<String, String> configs) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor).configs(configs)))
                    .all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
    }

    /**
     * How many records partition 0 of the topic holds: the offset the next record will get (its high watermark,
     * what consumers can read). A run topic holds only sample records and the run-end marker, so this is how far a
     * run was streamed.
     */
    public long records(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        while (true) {
            try {
                return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
            } catch (ExecutionException e) {
                // a topic created a moment ago may not have reached every broker's metadata yet
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read the end of topic " + topic + ": "
                            + e.getCause().getMessage(), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the end of topic " + topic, e);
            }
            sleepBriefly();
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topic metadata", e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
