package io.distillmesh.k8s.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillmesh.k8s.model.KindRegistry;
import io.distillmesh.k8s.model.StrictMapper;
import io.distillmesh.k8s.model.YamlDocuments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A minimal kustomize, for the features this project's kustomizations use (no kustomize binary is packaged
 * for Debian): resources (files and kustomization directories), namespace, labels, images, patches
 * (strategic merge, on the patch's own kind/name or on a target) and replicas, applied in kustomize's order
 * (patches, namespace, labels, replicas, images). Like kustomize it refuses two resources with one id and a
 * patch that matches nothing; unlike kustomize it refuses every field it does not implement.
 */
public final class KustomizeRenderer {
    private static final Set<String> SCALABLE = Set.of("Deployment", "StatefulSet", "ReplicaSet");
    private static final Set<String> WITH_POD_TEMPLATE = Set.of("Deployment", "StatefulSet", "DaemonSet",
            "ReplicaSet", "Job");

    private KustomizeRenderer() {
    }

    /** Renders the kustomization in {@code dir}; the result is in resource order. */
    public static List<ObjectNode> render(Path dir) {
        Kustomization k = read(dir);
        List<ObjectNode> resources = new ArrayList<>();
        for (String entry : k.resources()) {
            Path path = dir.resolve(entry).normalize();
            List<ObjectNode> loaded = Files.isDirectory(path) ? render(path) : YamlDocuments.read(requireFile(path));
            for (ObjectNode resource : loaded) {
                add(resources, resource, path);
            }
        }
        for (Kustomization.Patch patch : k.patches()) {
            applyPatch(resources, patch, dir);
        }
        if (k.namespace() != null) {
            resources.stream().filter(r -> !KindRegistry.isClusterScoped(r.path("kind").asText()))
                    .forEach(r -> metadata(r).put("namespace", k.namespace()));
        }
        for (Kustomization.LabelSet labels : k.labels()) {
            resources.forEach(r -> addLabels(r, labels));
        }
        for (Kustomization.Replica replica : k.replicas()) {
            setReplicas(resources, replica);
        }
        for (Kustomization.Image image : k.images()) {
            resources.forEach(r -> ImageTransformer.apply(r, image));
        }
        requireUnique(resources);
        return resources;
    }

    private static Kustomization read(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            file = dir.resolve("kustomization.yml");
        }
        try {
            return StrictMapper.get().readValue(requireFile(file).toFile(), Kustomization.class);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static Path requireFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no such file: " + path);
        }
        return path;
    }

    private static void add(List<ObjectNode> resources, ObjectNode resource, Path from) {
        ResourceId id = ResourceId.of(resource);
        for (ObjectNode existing : resources) {
            if (ResourceId.of(existing).sameAs(id)) {
                throw new IllegalArgumentException(from + ": may not add resource with an already registered id: " + id);
            }
        }
        resources.add(resource);
    }

    private static void requireUnique(List<ObjectNode> resources) {
        for (int i = 0; i < resources.size(); i++) {
            for (int j = i + 1; j < resources.size(); j++) {
                if (ResourceId.of(resources.get(i)).sameAs(ResourceId.of(resources.get(j)))) {
                    throw new IllegalArgumentException("two resources with the id " + ResourceId.of(resources.get(i)));
                }
            }
        }
    }

    private static void applyPatch(List<ObjectNode> resources, Kustomization.Patch patch, Path dir) {
        List<ObjectNode> docs = patch.path() != null ? YamlDocuments.read(requireFile(dir.resolve(patch.path())))
                : YamlDocuments.parse(patch.patch());
        if (docs.size() != 1) {
            throw new IllegalArgumentException("a patch must be one strategic-merge document: " + patch);
        }
        ObjectNode body = docs.get(0).deepCopy();
        ResourceId own = ResourceId.of(body);
        Kustomization.Target target = patch.target() != null ? patch.target()
                : new Kustomization.Target(own.group(), null, own.kind(), own.name(), null);
        body.remove("apiVersion");
        body.remove("kind");
        if (body.has("metadata")) {
            metadata(body).remove(List.of("name", "namespace"));
        }
        int matched = 0;
        for (ObjectNode resource : resources) {
            ResourceId id = ResourceId.of(resource);
            if (id.matches(target)) {
                StrategicMergePatch.apply(resource, body, id.isBuiltIn());
                matched++;
            }
        }
        if (matched == 0) {
            throw new IllegalArgumentException("patch " + (patch.path() != null ? patch.path() : "(inline)")
                    + " matches no resource (target " + target + ")");
        }
    }

    private static void addLabels(ObjectNode resource, Kustomization.LabelSet labels) {
        putAll(metadata(resource).withObjectProperty("labels"), labels.pairs());
        if (labels.templates() && WITH_POD_TEMPLATE.contains(resource.path("kind").asText())) {
            JsonNode template = resource.path("spec").path("template");
            if (template.isObject()) {
                putAll(metadata((ObjectNode) template).withObjectProperty("labels"), labels.pairs());
            }
        }
    }

    private static void putAll(ObjectNode target, Map<String, String> pairs) {
        pairs.forEach(target::put);
    }

    private static void setReplicas(List<ObjectNode> resources, Kustomization.Replica replica) {
        List<ObjectNode> matches = resources.stream()
                .filter(r -> SCALABLE.contains(r.path("kind").asText()))
                .filter(r -> replica.name().equals(r.path("metadata").path("name").asText())).toList();
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("replicas: no Deployment/StatefulSet/ReplicaSet named " + replica.name());
        }
        matches.forEach(r -> r.withObjectProperty("spec").put("replicas", replica.count()));
    }

    private static ObjectNode metadata(ObjectNode resource) {
        return resource.withObjectProperty("metadata");
    }
}
