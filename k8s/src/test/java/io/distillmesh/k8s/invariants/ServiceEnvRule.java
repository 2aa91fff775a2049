package io.distillmesh.k8s.invariants;

import io.distillmesh.k8s.mesh.MeshService;
import io.fabric8.kubernetes.api.model.Container;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The environment of a mesh container matches what its service reads: every variable of a declared config
 * key (TeacherVerticle.DEFAULTS, StudentVerticle.DEFAULTS, ... through ServiceConfig.envName) is set, and
 * every DM_ variable set is one the service reads (a misspelt one would be silently ignored). The sources
 * must be checkable (see {@link ContainerEnv}).
 */
public final class ServiceEnvRule implements InvariantRule {
    @Override
    public String name() {
        return "service environment";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        for (Workload w : overlay.workloads()) {
            for (Container c : w.serviceContainers()) {
                MeshService service = Workload.service(c).orElseThrow();
                ContainerEnv env = new ContainerEnv(c, overlay);
                env.problems().forEach(p -> violations.add(w.where(c) + ": " + p));
                Set<String> dmSet = new TreeSet<>(env.vars().keySet());
                dmSet.removeIf(v -> !v.startsWith("DM_"));
                Set<String> missing = new TreeSet<>(service.required());
                missing.removeAll(dmSet);
                if (!missing.isEmpty()) {
                    violations.add(w.where(c) + ": " + service.name() + " reads " + missing + " but they are not set");
                }
                Set<String> unread = new TreeSet<>(dmSet);
                unread.removeAll(service.reads());
                if (!unread.isEmpty()) {
                    violations.add(w.where(c) + ": sets " + unread + " which " + service.name() + " does not read");
                }
            }
        }
        return violations;
    }
}
