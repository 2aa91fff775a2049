package io.distillmesh.k8s.invariants;

import io.distillmesh.k8s.mesh.MeshServices;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The distiller, and only the distiller, asks for a GPU (any *&#47;gpu resource such as nvidia.com/gpu).
 * In an overlay without GPUs (dev) nothing asks; where GPUs are allowed (prod) a deployed distiller must. A
 * container that asks runs the CUDA image (tag suffix {@link MeshServices#CUDA_TAG_SUFFIX}) in a pod pinned to
 * GPU nodes (a nodeSelector or required node affinity, and a toleration of a GPU taint); a service container
 * that does not ask does not run the CUDA image (ND4J's CUDA backend fails without a GPU).
 */
public final class GpuRule implements InvariantRule {
    private final boolean gpusAllowed;

    public GpuRule(boolean gpusAllowed) {
        this.gpusAllowed = gpusAllowed;
    }

    @Override
    public String name() {
        return gpusAllowed ? "only the distiller asks for a GPU" : "no GPU";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        for (Workload w : overlay.workloads()) {
            for (Container c : w.allContainers()) {
                boolean distiller = Workload.serviceName(c).equals(Optional.of(MeshServices.GPU_SERVICE));
                boolean asks = asksForGpu(c);
                if (asks && !gpusAllowed) {
                    violations.add(w.where(c) + ": asks for a GPU in an overlay without GPUs");
                } else if (asks && !distiller) {
                    violations.add(w.where(c) + ": asks for a GPU but only the " + MeshServices.GPU_SERVICE + " may");
                } else if (!asks && distiller && gpusAllowed && w.containers().contains(c)) {
                    violations.add(w.where(c) + ": the " + MeshServices.GPU_SERVICE + " asks for no GPU");
                }
                boolean cudaImage = ImageRef.parse(c.getImage()).tag() != null
                        && ImageRef.parse(c.getImage()).tag().endsWith(MeshServices.CUDA_TAG_SUFFIX);
                if (asks && distiller && !cudaImage) {
                    violations.add(w.where(c) + ": asks for a GPU but runs " + c.getImage() + ", not the CUDA image (tag "
                            + "suffix " + MeshServices.CUDA_TAG_SUFFIX + ", built with -Pcuda)");
                } else if (!asks && cudaImage && w.containers().contains(c)) {
                    violations.add(w.where(c) + ": runs the CUDA image " + c.getImage() + " but asks for no GPU");
                }
                if (asks && !pinnedToGpuNodes(w.template().getSpec())) {
                    violations.add(w.where(c) + ": asks for a GPU but its pod is not pinned to GPU nodes (a nodeSelector "
                            + "or required node affinity, and a toleration of a */gpu taint)");
                }
            }
        }
        return violations;
    }

    private static boolean pinnedToGpuNodes(PodSpec pod) {
        boolean selected = (pod.getNodeSelector() != null && !pod.getNodeSelector().isEmpty())
                || (pod.getAffinity() != null && pod.getAffinity().getNodeAffinity() != null
                && pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null);
        boolean tolerates = pod.getTolerations() != null && pod.getTolerations().stream()
                .anyMatch(t -> t.getKey() != null && t.getKey().endsWith("/gpu"));
        return selected && tolerates;
    }

    static boolean asksForGpu(Container c) {
        if (c.getResources() == null) {
            return false;
        }
        return hasGpu(c.getResources().getRequests()) || hasGpu(c.getResources().getLimits());
    }

    private static boolean hasGpu(Map<String, Quantity> resources) {
        return resources != null && resources.keySet().stream().anyMatch(k -> k.endsWith("/gpu"));
    }
}
