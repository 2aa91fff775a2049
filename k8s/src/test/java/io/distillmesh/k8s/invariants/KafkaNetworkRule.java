package io.distillmesh.k8s.invariants;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;

import java.util.ArrayList;
import java.util.List;

/**
 * Only the mesh's services talk to Kafka. Strimzi turns each listener's networkPolicyPeers into the
 * NetworkPolicy of its port, and an empty list means everyone, so: every listener lists peers; each peer
 * names pods (a non-empty podSelector, no ipBlock, no whole namespaces); a peer in this namespace selects
 * only workloads that run a mesh service, and at least one; and every workload that is given a bootstrap
 * address is admitted by that listener.
 */
public final class KafkaNetworkRule implements InvariantRule {
    @Override
    public String name() {
        return "only the services reach Kafka";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        for (Kafka kafka : overlay.all(Kafka.class)) {
            for (GenericKafkaListener l : kafka.getSpec().getKafka().getListeners()) {
                String where = "Kafka/" + kafka.getMetadata().getName() + " listener " + l.getName();
                List<NetworkPolicyPeer> peers = l.getNetworkPolicyPeers();
                if (peers == null || peers.isEmpty()) {
                    violations.add(where + ": no networkPolicyPeers, so every pod may connect");
                    continue;
                }
                for (NetworkPolicyPeer peer : peers) {
                    checkPeer(where, peer, overlay, violations);
                }
            }
        }
        for (Workload w : overlay.workloads()) {
            for (var c : w.containers()) {
                String bootstrap = new ContainerEnv(c, overlay).value("DM_KAFKA_BOOTSTRAP_SERVERS").orElse(null);
                KafkaListeners.forBootstrap(bootstrap, overlay).ifPresent(kl -> {
                    boolean admitted = kl.listener().getNetworkPolicyPeers() != null && kl.listener().getNetworkPolicyPeers()
                            .stream().anyMatch(p -> p.getNamespaceSelector() == null && p.getIpBlock() == null
                                    && !Selectors.isEmpty(p.getPodSelector()) && Selectors.matches(p.getPodSelector(), w.podLabels()));
                    if (!admitted) {
                        violations.add(w.where(c) + ": connects to " + bootstrap + " but no networkPolicyPeer admits its pods");
                    }
                });
            }
        }
        return violations;
    }

    private static void checkPeer(String where, NetworkPolicyPeer peer, RenderedOverlay overlay, List<String> violations) {
        if (peer.getIpBlock() != null) {
            violations.add(where + ": an ipBlock peer");
            return;
        }
        if (Selectors.isEmpty(peer.getPodSelector())) {
            violations.add(where + ": a peer without a podSelector admits whole namespaces");
            return;
        }
        if (peer.getNamespaceSelector() != null) {
            if (Selectors.isEmpty(peer.getNamespaceSelector())) {
                violations.add(where + ": a peer with an empty namespaceSelector admits every namespace");
            }
            return;
        }
        List<Workload> selected = overlay.workloads().stream()
                .filter(w -> Selectors.matches(peer.getPodSelector(), w.podLabels())).toList();
        if (selected.isEmpty()) {
            violations.add(where + ": peer " + peer.getPodSelector() + " selects no workload of the mesh");
        }
        selected.stream().filter(w -> w.serviceContainers().isEmpty()).forEach(w ->
                violations.add(where + ": admits " + w.kind() + "/" + w.name() + ", which runs no mesh service"));
    }
}
