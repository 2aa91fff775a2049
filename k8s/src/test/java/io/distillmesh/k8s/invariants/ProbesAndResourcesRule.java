package io.distillmesh.k8s.invariants;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every container has liveness and readiness probes and cpu and memory requests and limits (requests not
 * above limits). Init containers cannot have probes; they need resources. The containers Strimzi runs get
 * their probes from Strimzi, and their resources from the KafkaNodePools and the entity operator specs.
 */
public final class ProbesAndResourcesRule implements InvariantRule {
    @Override
    public String name() {
        return "probes and resources";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        for (Workload w : overlay.workloads()) {
            for (Container c : w.containers()) {
                if (c.getLivenessProbe() == null) {
                    violations.add(w.where(c) + ": no livenessProbe");
                }
                if (c.getReadinessProbe() == null) {
                    violations.add(w.where(c) + ": no readinessProbe");
                }
                resources(w.where(c), c.getResources(), violations);
            }
            for (Container c : w.initContainers()) {
                resources(w.where(c), c.getResources(), violations);
            }
        }
        for (KafkaNodePool pool : overlay.all(KafkaNodePool.class)) {
            resources("KafkaNodePool/" + pool.getMetadata().getName(), pool.getSpec().getResources(), violations);
        }
        for (Kafka kafka : overlay.all(Kafka.class)) {
            var eo = kafka.getSpec().getEntityOperator();
            String where = "Kafka/" + kafka.getMetadata().getName() + " entityOperator.";
            if (eo == null || eo.getTopicOperator() == null || eo.getUserOperator() == null) {
                violations.add(where + "topicOperator/userOperator: missing (KafkaTopic/KafkaUser need them)");
            } else {
                resources(where + "topicOperator", eo.getTopicOperator().getResources(), violations);
                resources(where + "userOperator", eo.getUserOperator().getResources(), violations);
            }
        }
        return violations;
    }

    static void resources(String where, ResourceRequirements resources, List<String> violations) {
        Map<String, Quantity> requests = resources == null ? null : resources.getRequests();
        Map<String, Quantity> limits = resources == null ? null : resources.getLimits();
        for (String resource : List.of("cpu", "memory")) {
            Quantity request = requests == null ? null : requests.get(resource);
            Quantity limit = limits == null ? null : limits.get(resource);
            if (request == null) {
                violations.add(where + ": no " + resource + " request");
            }
            if (limit == null) {
                violations.add(where + ": no " + resource + " limit");
            }
            if (request != null && limit != null
                    && request.getNumericalAmount().compareTo(limit.getNumericalAmount()) > 0) {
                violations.add(where + ": " + resource + " request " + request + " above its limit " + limit);
            }
        }
    }
}
