package io.distillmesh.k8s.invariants;

import io.distillmesh.k8s.mesh.MeshService;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;

import java.util.ArrayList;
import java.util.List;

/**
 * Secrets are referenced, never inlined: a variable that holds one (token, password, JAAS config) comes
 * from a secretKeyRef, and no ConfigMap has a key that looks like one. (Secret manifests themselves are
 * refused by the typed parsing.)
 */
public final class SecretReferenceRule implements InvariantRule {
    @Override
    public String name() {
        return "secrets referenced";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        for (Workload w : overlay.workloads()) {
            for (Container c : w.allContainers()) {
                new ContainerEnv(c, overlay).vars().forEach((name, source) -> {
                    if (MeshService.isSensitive(name) && source.kind() != ContainerEnv.Kind.SECRET) {
                        violations.add(w.where(c) + ": " + name + " comes from " + source.kind() + ", not a secretKeyRef");
                    }
                });
            }
        }
        for (ConfigMap map : overlay.all(ConfigMap.class)) {
            if (map.getData() != null) {
                map.getData().keySet().stream().filter(MeshService::isSensitive).forEach(key ->
                        violations.add("ConfigMap/" + map.getMetadata().getName() + ": key " + key + " looks like a secret"));
            }
        }
        return violations;
    }
}
