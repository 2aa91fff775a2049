package io.distillmesh.core.distill;

import io.distillmesh.core.engine.OffHeap;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every parameter vector of an unrolled inner loop, θ_0..θ_T, and the gradients of the inner steps
 * at them, ∇θ ℓ(x̃_t, θ_t) and ∇x ℓ(x̃_t, θ_t), t = 0..T−1, which the meta-gradient reuses.
 */
public record Trajectory(List<INDArray> thetas, List<INDArray> innerGradients, List<INDArray> inputGradients) {
    public Trajectory {
        if (thetas.size() != innerGradients.size() + 1 || inputGradients.size() != innerGradients.size()) {
            throw new IllegalArgumentException("a trajectory of T steps has T+1 parameter vectors and T gradients of "
                    + "each kind, got " + thetas.size() + ", " + innerGradients.size() + ", " + inputGradients.size());
        }
        thetas = List.copyOf(thetas);
        innerGradients = List.copyOf(innerGradients);
        inputGradients = List.copyOf(inputGradients);
    }

    public int steps() {
        return innerGradients.size();
    }

    public INDArray initial() {
        return thetas.get(0);
    }

    public INDArray last() {
        return thetas.get(thetas.size() - 1);
    }

    /** Frees every array of the trajectory (all are its own copies) once the meta-gradient has used them. */
    void release() {
        thetas.forEach(OffHeap::release);
        innerGradients.forEach(OffHeap::release);
        inputGradients.forEach(OffHeap::release);
    }
}
