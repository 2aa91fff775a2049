package io.distillmesh.messaging.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import io.distillmesh.messaging.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** Creates the mesh's topics with the retention the design asks for. Blocking: call it from a worker. */
public final class TopicAdmin implements AutoCloseable {
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

    /**
     * The dead-letter topic (kept a week), the checkpoint and distilled-set topics (compacted: the newest per
     * student or job) and the distillation progress topic (kept a week).
     */
    public void ensureSharedTopics() {
        String week = Long.toString(7L * 24 * 3600 * 1000);
        ensure(Topics.DEAD_LETTERS, 1, Map.of("retention.ms", week));
        ensure(Topics.CHECKPOINTS, 1, Map.of("cleanup.policy", "compact"));
        ensure(Topics.DISTILLED, 1, Map.of("cleanup.policy", "compact"));
        ensure(Topics.DISTILL_PROGRESS, 1, Map.of("retention.ms", week));
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

    @Override
    public void close() {
        admin.close();
    }
}
