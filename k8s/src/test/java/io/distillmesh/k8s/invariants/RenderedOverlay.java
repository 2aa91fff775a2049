package io.distillmesh.k8s.invariants;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillmesh.k8s.kustomize.KubectlKustomize;
import io.distillmesh.k8s.model.TypedManifests;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A kustomization rendered by kustomize and every resource of it read into its typed model (strictly). */
public record RenderedOverlay(String name, List<Object> resources) {
    public static RenderedOverlay render(String name, Path dir) {
        List<Object> typed = new ArrayList<>();
        for (ObjectNode doc : KubectlKustomize.onPath().render(dir)) {
            typed.add(TypedManifests.parse(doc));
        }
        return new RenderedOverlay(name, List.copyOf(typed));
    }

    public <T> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public Optional<ConfigMap> configMap(String name) {
        return all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
    }

    public <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
    }

    /** Every workload with a pod template (Deployments and StatefulSets are what k8s/ uses). */
    public List<Workload> workloads() {
        List<Workload> out = new ArrayList<>();
        for (Deployment d : all(Deployment.class)) {
            out.add(new Workload("Deployment", d.getMetadata().getName(), d.getSpec().getReplicas(),
                    d.getSpec().getTemplate()));
        }
        for (StatefulSet s : all(StatefulSet.class)) {
            out.add(new Workload("StatefulSet", s.getMetadata().getName(), s.getSpec().getReplicas(),
                    s.getSpec().getTemplate()));
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
