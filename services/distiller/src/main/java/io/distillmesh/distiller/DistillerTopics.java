package io.distillmesh.distiller;

import io.distillmesh.messaging.kafka.TopicAdmin;

/**
 * The two topics the distiller writes, created by TopicAdmin.ensureDistillationTopics: progress kept a
 * week, distilled sets compacted. Only these two, so its Kafka user needs no rights on the others.
 */
final class DistillerTopics {
    private DistillerTopics() {
    }

    static void ensure(TopicAdmin admin) {
        admin.ensureDistillationTopics();
    }
}
