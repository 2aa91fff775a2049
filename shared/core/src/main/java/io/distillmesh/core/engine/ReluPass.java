package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/** ReLU as a layer of its own (DL4J's {@code ActivationLayer}), e.g. after a residual addition. */
final class ReluPass implements LayerPass {
    @Override
    public Activations forward(INDArray theta, INDArray input) {
        return new Activations(input, Relu.applyInPlace(input.dup()));
    }

    @Override
    public INDArray backward(INDArray theta, Activations activations, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        return needInput ? Relu.backward(activations.output(), outputGradient) : null;
    }
}
