package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/** One layer of the engine's networks: its forward pass and its exact first-order backward pass. */
interface LayerPass {
    /**
     * What the backward pass needs of the forward one: the layer's input, its (activated) output, and whatever else
     * the layer keeps (batch normalisation: the normalised input and the batch's statistics).
     */
    record Activations(INDArray input, INDArray output, INDArray... kept) {
    }

    Activations forward(INDArray theta, INDArray input);

    /**
     * The forward pass in training mode (batch statistics) or in inference mode (running statistics); the same for
     * layers whose forward pass does not depend on the mode.
     */
    default Activations forward(INDArray theta, INDArray input, boolean training) {
        return forward(theta, input);
    }

    /**
     * Writes the gradient of this layer's parameters into {@code gradient} (flat, θ's layout) and returns
     * the gradient w.r.t. the layer's input, or null when {@code needInput} is false and it can be skipped.
     */
    INDArray backward(INDArray theta, Activations activations, INDArray outputGradient, INDArray gradient,
                      boolean needInput);
}
