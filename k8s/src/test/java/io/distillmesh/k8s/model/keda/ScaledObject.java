package io.distillmesh.k8s.model.keda;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * KEDA's ScaledObject (keda.sh/v1alpha1), hand-written: no typed Java model of KEDA's CRDs is published.
 * It holds only the fields this project uses, so a field outside them fails to parse until it is added
 * here (checked against https://keda.sh/docs/latest/reference/scaledobject-spec/).
 */
public record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {
    public ScaledObject {
        Objects.requireNonNull(metadata, "metadata is required");
        Objects.requireNonNull(spec, "spec is required");
    }

    public record Spec(ScaleTargetRef scaleTargetRef, Integer minReplicaCount, Integer maxReplicaCount,
                       Integer pollingInterval, Integer cooldownPeriod, List<Trigger> triggers) {
        public Spec {
            Objects.requireNonNull(scaleTargetRef, "spec.scaleTargetRef is required");
            if (triggers == null || triggers.isEmpty()) {
                throw new IllegalArgumentException("spec.triggers needs at least one trigger");
            }
            if (minReplicaCount != null && maxReplicaCount != null && minReplicaCount > maxReplicaCount) {
                throw new IllegalArgumentException("minReplicaCount > maxReplicaCount");
            }
        }
    }

    /** The workload KEDA scales; apiVersion/kind default to apps/v1 Deployment. */
    public record ScaleTargetRef(String apiVersion, String kind, String name) {
        public ScaleTargetRef {
            Objects.requireNonNull(name, "scaleTargetRef.name is required");
        }

        public String kindOrDefault() {
            return kind == null ? "Deployment" : kind;
        }
    }

    /** A trigger; its metadata is checked against the schema of its type (see {@link TriggerSchemas}). */
    public record Trigger(String type, Map<String, String> metadata, AuthenticationRef authenticationRef) {
        public Trigger {
            Objects.requireNonNull(type, "trigger type is required");
            Objects.requireNonNull(metadata, "trigger metadata is required");
        }
    }

    public record AuthenticationRef(String name, String kind) {
        public AuthenticationRef {
            Objects.requireNonNull(name, "authenticationRef.name is required");
            if (kind != null && !kind.equals("TriggerAuthentication") && !kind.equals("ClusterTriggerAuthentication")) {
                throw new IllegalArgumentException("authenticationRef.kind must be (Cluster)TriggerAuthentication");
            }
        }
    }
}
