package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/** One layer of {@link SmallNetworkGradientEngine}: its forward pass and its exact first-order backward pass. */
interface LayerPass {
    /** What the backward pass needs of the forward one: the layer's input and its (activated) output. */
    record Activations(INDArray input, INDArray output) {
    }

    Activations forward(INDArray theta, INDArray input);

    /**
     * Writes the gradient of this layer's parameters into {@code gradient} (flat, θ's layout) and returns
     * the gradient w.r.t. the layer's input, or null when {@code needInput} is false and it can be skipped.
     */
    INDArray backward(INDArray theta, Activations activations, INDArray outputGradient, INDArray gradient,
                      boolean needInput);
}
