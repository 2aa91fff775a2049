package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ReLU as a layer of its own (DL4J's {@code ActivationLayer}), e.g. after a residual addition. */
final class ReluPass implements TangentPass {
    @Override
    public Activations forward(INDArray theta, INDArray input) {
        return new Activations(input, Relu.applied(input));
    }

    @Override
    public INDArray backward(INDArray theta, Activations activations, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        return needInput ? Relu.backward(activations.output(), outputGradient) : null;
    }

    /** R(y) = mask ⊙ R(x). */
    @Override
    public INDArray forwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent) {
        return inputTangent == null ? Nd4j.zeros(a.output().dataType(), a.output().shape())
                : Relu.backward(a.output(), inputTangent);
    }

    /** The mask is piecewise constant: δ and R(δ) both pass through it. */
    @Override
    public Gradients backwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent,
                                     INDArray outputGradient, INDArray outputGradientTangent, INDArray gradientTangent,
                                     boolean needInputGradient, boolean needInputTangent) {
        return new Gradients(needInputGradient ? Relu.backward(a.output(), outputGradient) : null,
                needInputTangent ? Relu.backward(a.output(), outputGradientTangent) : null);
    }
}
