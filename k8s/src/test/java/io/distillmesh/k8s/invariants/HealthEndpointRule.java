package io.distillmesh.k8s.invariants;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Probe;

import java.util.ArrayList;
import java.util.List;

/**
 * A mesh service's probes ask its /health on the port it listens on: the container port named "http",
 * whose number is the DM_HTTP_PORT the service is given.
 */
public final class HealthEndpointRule implements InvariantRule {
    @Override
    public String name() {
        return "probes on /health of http.port";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        for (Workload w : overlay.workloads()) {
            for (Container c : w.serviceContainers()) {
                String where = w.where(c);
                ContainerPort http = c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElse(null);
                if (http == null) {
                    violations.add(where + ": no container port named http");
                    continue;
                }
                String configured = new ContainerEnv(c, overlay).value("DM_HTTP_PORT").orElse(null);
                if (!String.valueOf(http.getContainerPort()).equals(configured)) {
                    violations.add(where + ": port http is " + http.getContainerPort() + " but DM_HTTP_PORT is " + configured);
                }
                probe(where + " livenessProbe", c.getLivenessProbe(), http, violations);
                probe(where + " readinessProbe", c.getReadinessProbe(), http, violations);
                if (c.getStartupProbe() != null) {
                    probe(where + " startupProbe", c.getStartupProbe(), http, violations);
                }
            }
        }
        return violations;
    }

    private static void probe(String where, Probe probe, ContainerPort http, List<String> violations) {
        if (probe == null) {
            return;
        }
        if (probe.getHttpGet() == null || !"/health".equals(probe.getHttpGet().getPath())) {
            violations.add(where + ": not an HTTP GET of /health");
            return;
        }
        var port = probe.getHttpGet().getPort();
        boolean onHttp = port != null && ("http".equals(port.getStrVal()) || http.getContainerPort().equals(port.getIntVal()));
        if (!onHttp) {
            violations.add(where + ": asks port " + port + ", not the http port");
        }
    }
}
