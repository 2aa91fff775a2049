package io.distillmesh.k8s.model.keda;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** KEDA's TriggerAuthentication (keda.sh/v1alpha1), hand-written like {@link ScaledObject}: the fields used here. */
public record TriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {
    public TriggerAuthentication {
        Objects.requireNonNull(metadata, "metadata is required");
        Objects.requireNonNull(spec, "spec is required");
    }

    public record Spec(List<TargetRef> secretTargetRef, List<TargetRef> configMapTargetRef) {
        /** Every parameter this authentication supplies. */
        public List<String> parameters() {
            return Stream.concat(secretTargetRef == null ? Stream.empty() : secretTargetRef.stream(),
                    configMapTargetRef == null ? Stream.empty() : configMapTargetRef.stream())
                    .map(TargetRef::parameter).toList();
        }
    }

    /** One parameter from a key of a Secret (secretTargetRef) or a ConfigMap (configMapTargetRef). */
    public record TargetRef(String parameter, String name, String key) {
        public TargetRef {
            Objects.requireNonNull(parameter, "parameter is required");
            Objects.requireNonNull(name, "name is required");
            Objects.requireNonNull(key, "key is required");
        }
    }
}
