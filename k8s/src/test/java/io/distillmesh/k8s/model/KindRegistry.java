package io.distillmesh.k8s.model;

import io.distillmesh.k8s.model.keda.ScaledObject;
import io.distillmesh.k8s.model.keda.TriggerAuthentication;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.util.Map;
import java.util.Set;

/**
 * Which typed model class reads which apiVersion/kind. A kind missing here is refused, so a manifest can
 * only use kinds the validation knows (add the model class first). Secrets are refused on purpose: the
 * mesh references secrets (secretKeyRef), it never writes one.
 */
public final class KindRegistry {
    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("v1/Pod", Pod.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class),
            Map.entry("keda.sh/v1alpha1/ScaledObject", ScaledObject.class),
            Map.entry("keda.sh/v1alpha1/TriggerAuthentication", TriggerAuthentication.class));
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

    private KindRegistry() {
    }

    public static Class<?> modelFor(String apiVersion, String kind) {
        if ("Secret".equals(kind)) {
            throw new IllegalArgumentException("a Secret manifest: secrets are referenced (secretKeyRef), never written"
                    + " into k8s/");
        }
        Class<?> model = MODELS.get(apiVersion + "/" + kind);
        if (model == null) {
            throw new IllegalArgumentException("no typed model for apiVersion " + apiVersion + " kind " + kind
                    + " (known: " + MODELS.keySet().stream().sorted().toList() + ")");
        }
        return model;
    }

    public static boolean isClusterScoped(String kind) {
        return CLUSTER_SCOPED.contains(kind);
    }
}
