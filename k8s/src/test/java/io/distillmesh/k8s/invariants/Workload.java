package io.distillmesh.k8s.invariants;

import io.distillmesh.k8s.mesh.MeshService;
import io.distillmesh.k8s.mesh.MeshServices;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Deployment or StatefulSet with its pod template. */
public record Workload(String kind, String name, Integer replicas, PodTemplateSpec template) {
    public List<Container> containers() {
        return template.getSpec().getContainers();
    }

    public List<Container> initContainers() {
        return template.getSpec().getInitContainers();
    }

    public List<Container> allContainers() {
        List<Container> all = new ArrayList<>(initContainers());
        all.addAll(containers());
        return all;
    }

    public Map<String, String> podLabels() {
        Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    /** The mesh service a container runs, from its image name. */
    public static Optional<String> serviceName(Container container) {
        return MeshServices.serviceOfImage(ImageRef.parse(container.getImage()).name());
    }

    public static Optional<MeshService> service(Container container) {
        return serviceName(container).flatMap(MeshServices::byName);
    }

    /** Containers that run a known mesh service (not init containers: they run other commands). */
    public List<Container> serviceContainers() {
        return containers().stream().filter(c -> service(c).isPresent()).toList();
    }

    public Optional<Volume> volume(String name) {
        return template.getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst();
    }

    /** The mount of a container that a path lies at or below (the deepest, where mounts nest). */
    public static Optional<VolumeMount> mountHolding(Container container, String path) {
        String p = stripSlash(path);
        return container.getVolumeMounts().stream()
                .filter(m -> p.equals(stripSlash(m.getMountPath())) || p.startsWith(stripSlash(m.getMountPath()) + "/"))
                .max(Comparator.comparingInt(m -> stripSlash(m.getMountPath()).length()));
    }

    static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    public String where(Container container) {
        return kind + "/" + name + " container " + container.getName();
    }
}
