package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer's forward-mode face (Pearlmutter's R-operator): the derivatives of its forward and backward passes
 * along a direction v in parameter space, R(·) = ∂/∂ε (·)(θ + εv). Through a whole network these give the exact
 * Hessian-vector product Hv = R(∇θ ℓ) and the mixed product R(∇x ℓ) in one forward and one backward sweep.
 * ReLU and max pooling are piecewise linear: their R-operators are their masks and routings, exact wherever ℓ is
 * twice differentiable.
 */
interface TangentPass extends LayerPass {
    /**
     * R(output) given the forward pass's activations and R(input); {@code inputTangent} null for the network's
     * input, which does not depend on θ.
     */
    INDArray forwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent);

    /** The input gradient δ and its derivative R(δ) along v; each null when not asked for. */
    record Gradients(INDArray input, INDArray inputTangent) {
    }

    /**
     * The backward pass and its R-operator at once: given δ = ∂ℓ/∂output and R(δ), writes R(∇θ ℓ) of this layer's
     * parameters into {@code gradientTangent} (flat, θ's layout) and returns, for the input, δ if
     * {@code needInputGradient} and R(δ) if {@code needInputTangent}.
     */
    Gradients backwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent,
                              INDArray outputGradient, INDArray outputGradientTangent, INDArray gradientTangent,
                              boolean needInputGradient, boolean needInputTangent);
}
