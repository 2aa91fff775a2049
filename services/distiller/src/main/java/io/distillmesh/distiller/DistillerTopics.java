package io.distillmesh.distiller;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.TopicAdmin;

import java.util.Map;

/**
 * The two topics the distiller writes, created as TopicAdmin.ensureSharedTopics creates them: progress kept a
 * week, distilled sets compacted. Only these two, so its Kafka user needs no rights on the others.
 */
final class DistillerTopics {
    private static final String WEEK_MS = Long.toString(7L * 24 * 3600 * 1000);

    private DistillerTopics() {
    }

    static void ensure(TopicAdmin admin) {
        admin.ensure(Topics.DISTILL_PROGRESS, 1, Map.of("retention.ms", WEEK_MS));
        admin.ensure(Topics.DISTILLED, 1, Map.of("cleanup.policy", "compact"));
    }
}
