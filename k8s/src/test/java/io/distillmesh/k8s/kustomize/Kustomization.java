package io.distillmesh.k8s.kustomize;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The kustomization.yaml fields the renderer implements. It is read strictly: a field kustomize knows but
 * this renderer does not (namePrefix, commonLabels, configMapGenerator, components, ...) fails the
 * rendering instead of being silently ignored.
 */
public record Kustomization(String apiVersion, String kind, String namespace, List<String> resources,
                            List<LabelSet> labels, List<Image> images, List<Patch> patches, List<Replica> replicas) {
    public Kustomization {
        if (!"kustomize.config.k8s.io/v1beta1".equals(apiVersion) || !"Kustomization".equals(kind)) {
            throw new IllegalArgumentException("not a kustomize.config.k8s.io/v1beta1 Kustomization");
        }
        resources = resources == null ? List.of() : resources;
        labels = labels == null ? List.of() : labels;
        images = images == null ? List.of() : images;
        patches = patches == null ? List.of() : patches;
        replicas = replicas == null ? List.of() : replicas;
    }

    /** labels: added to every resource's metadata, and to pod templates with includeTemplates. */
    public record LabelSet(Map<String, String> pairs, Boolean includeSelectors, Boolean includeTemplates) {
        public LabelSet {
            Objects.requireNonNull(pairs, "labels[].pairs is required");
            if (Boolean.TRUE.equals(includeSelectors)) {
                throw new UnsupportedOperationException("labels with includeSelectors: not implemented by this renderer"
                        + " (it would change Deployment/Service/PDB/NetworkPolicy selectors)");
            }
        }

        boolean templates() {
            return Boolean.TRUE.equals(includeTemplates);
        }
    }

    /** images: containers' and initContainers' images named {@code name} get newName, newTag or digest. */
    public record Image(String name, String newName, String newTag, String digest) {
        public Image {
            Objects.requireNonNull(name, "images[].name is required");
            if (newTag != null && digest != null) {
                throw new IllegalArgumentException("images[" + name + "]: newTag and digest together");
            }
        }
    }

    /** patches: a strategic-merge patch from a file (path) or inline (patch), on its own name or a target. */
    public record Patch(String path, String patch, Target target) {
        public Patch {
            if ((path == null) == (patch == null)) {
                throw new IllegalArgumentException("a patch needs exactly one of path and patch");
            }
        }
    }

    /** Selects resources by group, version, kind and name (exact; no regular expressions or label selectors). */
    public record Target(String group, String version, String kind, String name, String namespace) {
    }

    /** replicas: spec.replicas of the Deployment/StatefulSet/ReplicaSet called {@code name}. */
    public record Replica(String name, Integer count) {
        public Replica {
            Objects.requireNonNull(name, "replicas[].name is required");
            if (count == null || count < 0) {
                throw new IllegalArgumentException("replicas[" + name + "].count must be >= 0");
            }
        }
    }
}
