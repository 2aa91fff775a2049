package io.distillmesh.k8s.invariants;

import io.distillmesh.k8s.model.KindRegistry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.distillmesh.k8s.model.keda.ScaledObject;
import io.distillmesh.k8s.model.keda.TriggerAuthentication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything lands in the mesh's namespace and carries app.kubernetes.io/part-of: distill-mesh (pod
 * templates too). kustomize's namespace and labels apply only to the resources of the kustomization that
 * sets them, so a resource an overlay adds would otherwise go to whatever namespace kubectl defaults to.
 */
public final class MeshScopeRule implements InvariantRule {
    static final String PART_OF = "app.kubernetes.io/part-of";

    @Override
    public String name() {
        return "one namespace, one part-of label";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        List<Namespace> namespaces = overlay.all(Namespace.class);
        if (namespaces.size() != 1) {
            violations.add("the overlay should define exactly one Namespace, has " + namespaces.size());
            return violations;
        }
        String namespace = namespaces.get(0).getMetadata().getName();
        for (Object resource : overlay.resources()) {
            ObjectMeta meta = metadata(resource);
            String kind = resource.getClass().getSimpleName();
            String where = kind + "/" + meta.getName();
            if (!KindRegistry.isClusterScoped(kind) && !namespace.equals(meta.getNamespace())) {
                violations.add(where + ": in namespace " + meta.getNamespace() + ", not " + namespace);
            }
            if (!"distill-mesh".equals(labels(meta).get(PART_OF))) {
                violations.add(where + ": no label " + PART_OF + "=distill-mesh");
            }
        }
        for (Workload w : overlay.workloads()) {
            if (!"distill-mesh".equals(w.podLabels().get(PART_OF))) {
                violations.add(w.kind() + "/" + w.name() + ": pod template without " + PART_OF + "=distill-mesh");
            }
        }
        return violations;
    }

    private static ObjectMeta metadata(Object resource) {
        if (resource instanceof HasMetadata h) {
            return h.getMetadata();
        }
        if (resource instanceof ScaledObject s) {
            return s.metadata();
        }
        if (resource instanceof TriggerAuthentication t) {
            return t.metadata();
        }
        throw new IllegalArgumentException("no metadata on " + resource.getClass());
    }

    private static Map<String, String> labels(ObjectMeta meta) {
        return meta.getLabels() == null ? Map.of() : meta.getLabels();
    }
}
