package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fully connected layer, {@code x·W + b} with optional ReLU; a 4-D input is flattened per sample in
 * C order, as DL4J's CNN-to-dense preprocessor does. Weights are [in, out].
 */
final class DensePass implements TangentPass {
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
        BlasThreads.forProduct(x.rows(), weights.shape()[1], x.columns());
        INDArray out = x.mmul(weights.in(theta)).addiRowVector(bias.in(theta));
        return new Activations(input, relu ? Relu.applyInPlace(out) : out);
    }

    @Override
    public INDArray backward(INDArray theta, Activations a, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        INDArray preGradient = relu ? Relu.backward(a.output(), outputGradient) : outputGradient;
        INDArray x = flat(a.input());
        BlasThreads.forProduct(x.rows(), weights.shape()[1], x.columns());
        weights.write(gradient, x.transpose().mmul(preGradient));
        bias.write(gradient, preGradient.sum(0));
        INDArray inputGradient = needInput ? preGradient.mmul(weights.in(theta).transpose()) : null;
        if (relu) {
            OffHeap.release(preGradient);
        }
        return inputGradient == null ? null : inputGradient.reshape('c', a.input().shape());
    }

    @Override
    public INDArray forwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent) {
        INDArray pre = flat(a.input()).mmul(weights.in(v)).addiRowVector(bias.in(v));
        if (inputTangent != null) {
            INDArray throughInput = flat(inputTangent).mmul(weights.in(theta));
            pre.addi(throughInput);
            OffHeap.release(throughInput);
        }
        return relu ? Relu.maskTangent(a.output(), pre) : pre;
    }

    /**
     * With δ the pre-activation gradient: R(∇W) = xᵀR(δ) + R(x)ᵀδ, R(∇b) = Σ R(δ), R(∇x) = R(δ)Wᵀ + δVᵀ, where V is
     * v's part for W; ReLU's mask passes R(δ) as it passes δ.
     */
    @Override
    public Gradients backwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent,
                                     INDArray outputGradient, INDArray outputGradientTangent, INDArray gradientTangent,
                                     boolean needInputGradient, boolean needInputTangent) {
        INDArray delta = relu ? Relu.backward(a.output(), outputGradient) : outputGradient;
        INDArray deltaTangent = relu ? Relu.backward(a.output(), outputGradientTangent) : outputGradientTangent;
        INDArray weightTangent = flat(a.input()).transpose().mmul(deltaTangent);
        if (inputTangent != null) {
            INDArray throughInput = flat(inputTangent).transpose().mmul(delta);
            weightTangent.addi(throughInput);
            OffHeap.release(throughInput);
        }
        weights.write(gradientTangent, weightTangent);
        bias.write(gradientTangent, deltaTangent.sum(0));
        OffHeap.release(weightTangent);
        INDArray w = weights.in(theta);
        INDArray inputGradient = needInputGradient ? delta.mmul(w.transpose()).reshape('c', a.input().shape()) : null;
        INDArray inputGradientTangent = null;
        if (needInputTangent) {
            inputGradientTangent = deltaTangent.mmul(w.transpose());
            INDArray throughDirection = delta.mmul(weights.in(v).transpose());
            inputGradientTangent.addi(throughDirection);
            OffHeap.release(throughDirection);
            inputGradientTangent = inputGradientTangent.reshape('c', a.input().shape());
        }
        if (relu) {
            OffHeap.release(delta, deltaTangent);
        }
        return new Gradients(inputGradient, inputGradientTangent);
    }

    private static INDArray flat(INDArray input) {
        return input.rank() == 2 ? input : input.reshape('c', input.size(0), input.length() / input.size(0));
    }
}
