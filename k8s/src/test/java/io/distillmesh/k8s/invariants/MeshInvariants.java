package io.distillmesh.k8s.invariants;

import java.util.List;

/** The invariants every rendered overlay must keep. */
public final class MeshInvariants {
    private MeshInvariants() {
    }

    /**
     * gpusAllowed: whether the overlay may schedule GPU work (prod: the distiller, once it exists); singleNode:
     * whether it is made for a one-node cluster (dev), where pods of several workloads may share a ReadWriteOnce volume.
     */
    public static List<InvariantRule> rules(boolean gpusAllowed, boolean singleNode) {
        return List.of(
                new MeshScopeRule(),
                new ProbesAndResourcesRule(),
                new HealthEndpointRule(),
                new ServiceEnvRule(),
                new ServiceConfigRule(),
                new SecretReferenceRule(),
                new ImageRule(),
                new GpuRule(gpusAllowed),
                new DisruptionBudgetRule(),
                new MonitoringRule(),
                new KafkaNetworkRule(),
                new KafkaClientRule(),
                new TopicsRule(),
                new StudentScalingRule(),
                new ArtifactsRule(singleNode));
    }
}
