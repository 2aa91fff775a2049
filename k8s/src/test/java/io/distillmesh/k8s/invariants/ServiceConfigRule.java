package io.distillmesh.k8s.invariants;

import io.distillmesh.k8s.mesh.MeshService;
import io.distillmesh.messaging.vertx.ServiceConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A mesh container's environment loads as its service's configuration (ServiceConfig.load: numbers
 * parse) and passes the service's own checks (a student's spec: architecture, alpha in [0, 1], ids),
 * so a bad value fails here and not in a CrashLoopBackOff. Secret values are placeholders.
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
                    JsonObject config = load(service, new ContainerEnv(c, overlay));
                    service.validator().accept(config);
                } catch (RuntimeException e) {
                    violations.add(w.where(c) + ": " + service.name() + " would refuse its configuration: " + e.getMessage());
                }
            }
        }
        return violations;
    }

    static JsonObject load(MeshService service, ContainerEnv env) {
        return ServiceConfig.load(service.defaults(), null, env.asEnvironment());
    }
}
