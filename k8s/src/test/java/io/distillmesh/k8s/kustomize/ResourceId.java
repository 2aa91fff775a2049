package io.distillmesh.k8s.kustomize;

import com.fasterxml.jackson.databind.JsonNode;

/** A resource's identity as kustomize keys it: API group, kind, namespace, name. */
public record ResourceId(String group, String version, String kind, String namespace, String name) {
    public static ResourceId of(JsonNode resource) {
        String apiVersion = resource.path("apiVersion").asText();
        int slash = apiVersion.lastIndexOf('/');
        return new ResourceId(slash < 0 ? "" : apiVersion.substring(0, slash), apiVersion.substring(slash + 1),
                resource.path("kind").asText(), resource.path("metadata").path("namespace").asText(""),
                resource.path("metadata").path("name").asText());
    }

    /** Same resource, whatever the version. */
    public boolean sameAs(ResourceId other) {
        return group.equals(other.group) && kind.equals(other.kind) && namespace.equals(other.namespace)
                && name.equals(other.name);
    }

    /** Kubernetes' own kinds have strategic-merge keys for their lists; custom resources replace lists. */
    public boolean isBuiltIn() {
        return group.isEmpty() || !group.contains(".") || group.endsWith(".k8s.io");
    }

    public boolean matches(Kustomization.Target target) {
        return (target.group() == null || target.group().equals(group))
                && (target.version() == null || target.version().equals(version))
                && (target.kind() == null || target.kind().equals(kind))
                && (target.name() == null || target.name().equals(name))
                && (target.namespace() == null || target.namespace().equals(namespace));
    }

    @Override
    public String toString() {
        return (group.isEmpty() ? "" : group + "/") + kind + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
}
