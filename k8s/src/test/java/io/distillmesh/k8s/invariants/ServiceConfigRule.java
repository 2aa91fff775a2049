package io.distillmesh.k8s.invariants;

import io.distillmesh.k8s.mesh.MeshService;
import io.fabric8.kubernetes.api.model.Container;

import java.util.ArrayList;
import java.util.List;

/**
 * A mesh container's configuration (its config file, if it names one, and its environment) loads as its service
 * loads it (ServiceConfig.load: the file parses, numbers parse) and passes the service's own checks (a student's
 * spec: architecture, alpha in [0, 1], ids, a specialist's classes and generalist), so a bad value fails here and not
 * in a CrashLoopBackOff. Secret values are placeholders.
 */
public final class ServiceConfigRule implements InvariantRule {
    @Override
    public String name() {
        return "service configuration loads";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        for (Workload w : overlay.workloads()) {
            for (Container c : w.serviceContainers()) {
                MeshService service = Workload.service(c).orElseThrow();
                try {
                    service.validator().accept(ContainerConfig.of(w, c, overlay).load());
                } catch (RuntimeException e) {
                    violations.add(w.where(c) + ": " + service.name() + " would refuse its configuration: " + e.getMessage());
                }
            }
        }
        return violations;
    }
}
