package io.distillmesh.k8s.invariants;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.openshift.api.model.monitoring.v1.PodMetricsEndpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus scrapes every mesh pod's /metrics: a PodMonitor selects it with an endpoint on a named
 * container port and path /metrics, or a ServiceMonitor selects a Service that selects it.
 */
public final class MonitoringRule implements InvariantRule {
    @Override
    public String name() {
        return "metrics scraped";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        for (PodMonitor monitor : overlay.all(PodMonitor.class)) {
            for (PodMetricsEndpoint e : monitor.getSpec().getPodMetricsEndpoints()) {
                if (!"/metrics".equals(e.getPath())) {
                    violations.add("PodMonitor/" + monitor.getMetadata().getName() + ": endpoint path " + e.getPath());
                }
            }
        }
        for (Workload w : overlay.workloads()) {
            if (w.serviceContainers().isEmpty()) {
                continue;
            }
            boolean scraped = overlay.all(PodMonitor.class).stream().anyMatch(m -> scrapes(m, w))
                    || overlay.all(ServiceMonitor.class).stream().anyMatch(m -> scrapes(m, w, overlay));
            if (!scraped) {
                violations.add(w.kind() + "/" + w.name() + ": no PodMonitor or ServiceMonitor scrapes its /metrics");
            }
        }
        return violations;
    }

    private static boolean scrapes(PodMonitor monitor, Workload w) {
        if (!Selectors.matches(monitor.getSpec().getSelector(), w.podLabels())) {
            return false;
        }
        return monitor.getSpec().getPodMetricsEndpoints().stream().anyMatch(e -> "/metrics".equals(e.getPath())
                && w.serviceContainers().stream().map(Container::getPorts).flatMap(List::stream)
                .anyMatch(p -> p.getName() != null && p.getName().equals(e.getPort())));
    }

    private static boolean scrapes(ServiceMonitor monitor, Workload w, RenderedOverlay overlay) {
        return overlay.all(Service.class).stream()
                .filter(s -> Selectors.matches(monitor.getSpec().getSelector(), s.getMetadata().getLabels() == null
                        ? java.util.Map.of() : s.getMetadata().getLabels()))
                .filter(s -> Selectors.matches(s.getSpec().getSelector(), w.podLabels()))
                .anyMatch(s -> monitor.getSpec().getEndpoints().stream().anyMatch(e -> "/metrics".equals(e.getPath())
                        && s.getSpec().getPorts().stream().anyMatch(p -> p.getName() != null && p.getName().equals(e.getPort()))));
    }
}
