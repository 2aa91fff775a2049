package io.distillmesh.k8s.invariants;

import io.distillmesh.evaluator.EvaluationTopics;
import io.distillmesh.messaging.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kafka and its topics as the design has them: a KRaft cluster on node pools that creates no topic on its
 * own; a KafkaTopic for every fixed topic (every constant of messaging's Topics, and the later services'
 * ones) with the design's retention or compaction; none for run topics, which the teacher creates; and no
 * replication factor above the number of brokers (KafkaTopics, the broker defaults, DM_TOPIC_REPLICATION_FACTOR).
 */
public final class TopicsRule implements InvariantRule {
    /** The fixed topics and the configuration the design gives them (ARCHITECTURE.md; TopicAdmin for the first four). */
    static final Map<String, Map<String, String>> FIXED_TOPICS = Map.of(
            Topics.DEAD_LETTERS, Map.of("retention.ms", "604800000"),
            Topics.CHECKPOINTS, Map.of("cleanup.policy", "compact"),
            Topics.DISTILL_PROGRESS, Map.of("retention.ms", "604800000"),
            Topics.DISTILLED, Map.of("cleanup.policy", "compact"),
            Topics.RUNS, Map.of("cleanup.policy", "compact"),
            EvaluationTopics.RESULTS, Map.of("cleanup.policy", "compact"));
    /** The topics a service creates itself with one partition (TopicAdmin.ensureSharedTopics, DistillerTopics). */
    static final List<String> ONE_PARTITION = List.of(Topics.DEAD_LETTERS, Topics.CHECKPOINTS, Topics.DISTILL_PROGRESS,
            Topics.DISTILLED, Topics.RUNS);

    @Override
    public String name() {
        return "Kafka topics";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        for (String constant : topicConstants()) {
            if (!FIXED_TOPICS.containsKey(constant)) {
                violations.add("Topics declares " + constant + " which " + TopicsRule.class.getSimpleName() + " does not know");
            }
        }
        for (Kafka kafka : overlay.all(Kafka.class)) {
            checkCluster(kafka, overlay, violations);
        }
        for (var entry : FIXED_TOPICS.entrySet()) {
            KafkaTopic topic = overlay.all(KafkaTopic.class).stream().filter(t -> topicName(t).equals(entry.getKey()))
                    .findFirst().orElse(null);
            if (topic == null) {
                violations.add("no KafkaTopic for " + entry.getKey());
                continue;
            }
            Map<String, Object> config = topic.getSpec().getConfig() == null ? Map.of() : topic.getSpec().getConfig();
            entry.getValue().forEach((key, value) -> {
                if (!Objects.equals(value, config.get(key) == null ? null : String.valueOf(config.get(key)))) {
                    violations.add("KafkaTopic " + entry.getKey() + ": " + key + " is " + config.get(key) + ", the design says " + value);
                }
            });
            if (ONE_PARTITION.contains(entry.getKey()) && !Integer.valueOf(1).equals(topic.getSpec().getPartitions())) {
                violations.add("KafkaTopic " + entry.getKey() + ": partitions must be 1, as the services create it");
            }
        }
        String runPrefix = Topics.softTargets("x").substring(0, Topics.softTargets("x").length() - 1);
        overlay.all(KafkaTopic.class).stream().filter(t -> topicName(t).startsWith(runPrefix)).forEach(t ->
                violations.add("KafkaTopic " + topicName(t) + ": run topics are the teacher's to create"));
        return violations;
    }

    private static void checkCluster(Kafka kafka, RenderedOverlay overlay, List<String> violations) {
        String name = kafka.getMetadata().getName();
        String where = "Kafka/" + name;
        Map<String, String> annotations = kafka.getMetadata().getAnnotations() == null ? Map.of()
                : kafka.getMetadata().getAnnotations();
        for (String annotation : List.of("strimzi.io/kraft", "strimzi.io/node-pools")) {
            if (!"enabled".equals(annotations.get(annotation))) {
                violations.add(where + ": annotation " + annotation + " is not \"enabled\"");
            }
        }
        Map<String, Object> config = kafka.getSpec().getKafka().getConfig() == null ? Map.of()
                : kafka.getSpec().getKafka().getConfig();
        if (!Boolean.FALSE.equals(config.get("auto.create.topics.enable"))) {
            violations.add(where + ": auto.create.topics.enable must be false (only the teacher creates run topics)");
        }
        int brokers = overlay.all(KafkaNodePool.class).stream().filter(p -> name.equals(cluster(p.getMetadata().getLabels())))
                .filter(p -> p.getSpec().getRoles().contains(ProcessRoles.BROKER)).mapToInt(p -> p.getSpec().getReplicas()).sum();
        if (brokers == 0) {
            violations.add(where + ": no KafkaNodePool with the broker role");
        }
        for (String key : List.of("default.replication.factor", "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor")) {
            atMost(where + " " + key, config.get(key), brokers, violations);
        }
        int rf = config.get("default.replication.factor") instanceof Number n ? n.intValue() : 1;
        int minIsr = config.get("min.insync.replicas") instanceof Number n ? n.intValue() : 1;
        if (minIsr > rf || (rf > 1 && minIsr >= rf)) {
            violations.add(where + ": min.insync.replicas " + minIsr + " leaves no broker to lose at replication " + rf);
        }
        for (KafkaTopic topic : overlay.all(KafkaTopic.class)) {
            if (!name.equals(cluster(topic.getMetadata().getLabels()))) {
                violations.add("KafkaTopic " + topicName(topic) + ": label strimzi.io/cluster is not " + name);
            }
            atMost("KafkaTopic " + topicName(topic) + " replicas", topic.getSpec().getReplicas(), brokers, violations);
        }
        for (Workload w : overlay.workloads()) {
            for (Container c : w.serviceContainers()) {
                String rfVar = new ContainerEnv(c, overlay).value("DM_TOPIC_REPLICATION_FACTOR").orElse(null);
                atMost(w.where(c) + " DM_TOPIC_REPLICATION_FACTOR", rfVar, brokers, violations);
            }
        }
    }

    private static void atMost(String what, Object value, int brokers, List<String> violations) {
        if (value != null && Integer.parseInt(String.valueOf(value)) > brokers) {
            violations.add(what + " is " + value + " but there are " + brokers + " brokers");
        }
    }

    static String topicName(KafkaTopic topic) {
        return topic.getSpec().getTopicName() != null ? topic.getSpec().getTopicName() : topic.getMetadata().getName();
    }

    private static String cluster(Map<String, String> labels) {
        return labels == null ? "" : labels.getOrDefault("strimzi.io/cluster", "");
    }

    static List<String> topicConstants() {
        List<String> names = new ArrayList<>();
        for (Field f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }
}
