package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fully connected layer, {@code x·W + b} with optional ReLU; a 4-D input is flattened per sample in
 * C order, as DL4J's CNN-to-dense preprocessor does. Weights are [in, out].
 */
final class DensePass implements LayerPass {
    private final ParameterSlot weights;
    private final ParameterSlot bias;
    private final boolean relu;

    DensePass(ParameterSlot weights, ParameterSlot bias, boolean relu) {
        this.weights = weights;
        this.bias = bias;
        this.relu = relu;
    }

    @Override
    public Activations forward(INDArray theta, INDArray input) {
        INDArray x = flat(input);
        INDArray out = x.mmul(weights.in(theta)).addiRowVector(bias.in(theta));
        return new Activations(input, relu ? Relu.applyInPlace(out) : out);
    }

    @Override
    public INDArray backward(INDArray theta, Activations a, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        INDArray preGradient = relu ? Relu.backward(a.output(), outputGradient) : outputGradient;
        INDArray x = flat(a.input());
        weights.write(gradient, x.transpose().mmul(preGradient));
        bias.write(gradient, preGradient.sum(0));
        INDArray inputGradient = needInput ? preGradient.mmul(weights.in(theta).transpose()) : null;
        if (relu) {
            OffHeap.release(preGradient);
        }
        return inputGradient == null ? null : inputGradient.reshape('c', a.input().shape());
    }

    private static INDArray flat(INDArray input) {
        return input.rank() == 2 ? input : input.reshape('c', input.size(0), input.length() / input.size(0));
    }
}
