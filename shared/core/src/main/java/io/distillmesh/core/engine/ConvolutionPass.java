package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 2-D convolution (NCHW, no dilation; unpadded, zero-padded, or padded as DL4J's {@code Same} mode pads) with
 * or without bias (none before batch normalisation) and optional ReLU, by libnd4j's conv2d and conv2d_bp kernels
 * (oneDNN's where libnd4j was built with it). Weights are [out, in, kH, kW] as DL4J
 * stores them. When the input gradient is not wanted (the first layer on the real batch), the weight
 * gradient is computed as a forward convolution instead, which skips the input gradient's work.
 */
final class ConvolutionPass implements TangentPass {
    private static final int WEIGHTS_OIHW = 1;
    private static final int NCHW = 0;
    private final ParameterSlot weights;
    private final ParameterSlot bias;
    private final int strideH;
    private final int strideW;
    private final int padH;
    private final int padW;
    private final boolean sameMode;
    private final boolean relu;
    private final boolean blockedOutput;

    /** Unpadded. */
    ConvolutionPass(ParameterSlot weights, ParameterSlot bias, int strideH, int strideW, boolean relu) {
        this(weights, bias, strideH, strideW, 0, 0, false, relu);
    }

    /**
     * Zero padding {@code padH × padW}, or with {@code sameMode} DL4J's (and TensorFlow's) same-size padding;
     * {@code bias} null for a convolution without bias.
     */
    ConvolutionPass(ParameterSlot weights, ParameterSlot bias, int strideH, int strideW, int padH, int padW,
                    boolean sameMode, boolean relu) {
        this(weights, bias, strideH, strideW, padH, padW, sameMode, relu, false);
    }

    /**
     * With {@code blockedOutput}, in float on oneDNN the output maps are left in oneDNN's blocked layout (see
     * {@link OneDnn#isBlocked}) for layers that take it (a graph whose every layer does); an input in that layout is
     * read as it is, whatever this setting.
     */
    ConvolutionPass(ParameterSlot weights, ParameterSlot bias, int strideH, int strideW, int padH, int padW,
                    boolean sameMode, boolean relu, boolean blockedOutput) {
        if (weights.shape().length != 4) {
            throw new IllegalArgumentException("convolution weights must be [out, in, kH, kW]");
        }
        this.weights = weights;
        this.bias = bias;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padH = padH;
        this.padW = padW;
        this.sameMode = sameMode;
        this.relu = relu;
        this.blockedOutput = blockedOutput;
    }

    @Override
    public Activations forward(INDArray theta, INDArray input) {
        if (OneDnn.serves(input.dataType())) {
            INDArray out = Nd4j.createUninitialized(input.dataType(),
                    blockedOutput ? OneDnn.blockedShape(outputShape(input)) : outputShape(input));
            INDArray blocked = oneDnn(input, out, bias != null).forward(input, weights.in(theta),
                    bias == null ? null : biasIn(theta), out);
            if (relu) {
                Relu.applyInPlace(out);
            }
            return blocked == null ? new Activations(input, out) : new Activations(input, out, blocked);
        }
        INDArray out = convolve(input, weights.in(theta), bias == null ? null : biasIn(theta));
        return new Activations(input, relu ? Relu.applyInPlace(out) : out);
    }

    /** R(y) = V⋆x + R(b) + W⋆R(x), then ReLU's mask. */
    @Override
    public INDArray forwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent) {
        INDArray pre = convolve(a.input(), weights.in(v), bias == null ? null : biasIn(v));
        if (inputTangent != null) {
            INDArray throughInput = convolve(inputTangent, weights.in(theta), null);
            pre.addi(throughInput);
            OffHeap.release(throughInput);
        }
        return relu ? Relu.maskTangent(a.output(), pre) : pre;
    }

    /**
     * The convolution's backward pass is bilinear, so with δ the pre-activation gradient, conv2d_bp(x, W, R(δ))
     * gives W's part of R(∇x) and x's part of R(∇W), and conv2d_bp(R(x), V, δ) the other two: R(∇x) through V and
     * R(∇W) through R(x).
     */
    @Override
    public Gradients backwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent,
                                     INDArray outputGradient, INDArray outputGradientTangent, INDArray gradientTangent,
                                     boolean needInputGradient, boolean needInputTangent) {
        INDArray delta = relu ? Relu.backward(a.output(), outputGradient) : outputGradient;
        INDArray deltaTangent = relu ? Relu.backward(a.output(), outputGradientTangent) : outputGradientTangent;
        INDArray w = weights.in(theta);
        INDArray[] throughDelta = convolutionBackprop(a.input(), w, deltaTangent);
        INDArray inputGradientTangent = null;
        if (inputTangent != null || needInputTangent) {
            INDArray[] throughDirection = convolutionBackprop(inputTangent != null ? inputTangent : a.input(),
                    weights.in(v), delta);
            if (inputTangent != null) {
                throughDelta[1].addi(throughDirection[1]);
            }
            if (needInputTangent) {
                inputGradientTangent = throughDelta[0].addi(throughDirection[0]);
            }
            OffHeap.release(throughDirection);
        }
        INDArray inputGradient = null;
        if (needInputGradient) {
            INDArray[] plain = convolutionBackprop(a.input(), w, delta);
            OffHeap.release(plain[1]);
            inputGradient = plain[0];
        }
        weights.write(gradientTangent, throughDelta[1]);
        if (bias != null) {
            bias.write(gradientTangent, deltaTangent.sum(0, 2, 3));
        }
        OffHeap.release(throughDelta[1]);
        if (!needInputTangent) {
            OffHeap.release(throughDelta[0]);
        }
        if (relu) {
            OffHeap.release(delta, deltaTangent);
        }
        return new Gradients(inputGradient, inputGradientTangent);
    }

    private INDArray convolve(INDArray input, INDArray w, INDArray b) {
        INDArray out = Nd4j.createUninitialized(input.dataType(), outputShape(input));
        if (OneDnn.serves(input.dataType())) {
            OffHeap.release(oneDnn(input, out, b != null).forward(input, w, b, out));
            return out;
        }
        INDArray[] inputs = b == null ? new INDArray[]{input, w} : new INDArray[]{input, w, b};
        Nd4j.exec(op("conv2d").addInputs(inputs).addOutputs(out).build());
        return out;
    }

    /** {∇x, ∇W} of Σ δ⊙(W⋆x) (no bias term): the input gradient depends on W and δ only, the weights' on x and δ. */
    private INDArray[] convolutionBackprop(INDArray input, INDArray w, INDArray delta) {
        INDArray inputGradient = Nd4j.createUninitialized(input.dataType(), input.shape());
        INDArray weightGradient = Nd4j.createUninitialized(input.dataType(), weights.shape());
        Nd4j.exec(op("conv2d_bp").addInputs(input, w, delta).addOutputs(inputGradient, weightGradient).build());
        return new INDArray[]{inputGradient, weightGradient};
    }

    @Override
    public INDArray backward(INDArray theta, Activations a, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        INDArray preGradient = relu ? Relu.backward(a.output(), outputGradient) : outputGradient;
        if (OneDnn.serves(preGradient.dataType())) {
            return oneDnnBackward(theta, a, preGradient, gradient, needInput);
        }
        if (!needInput && strideH == 1 && strideW == 1 && !sameMode && padH == 0 && padW == 0) {
            weights.write(gradient, weightGradientAsConvolution(a.input(), preGradient));
            if (bias != null) {
                bias.write(gradient, preGradient.sum(0, 2, 3));
            }
            if (relu) {
                OffHeap.release(preGradient);
            }
            return null;
        }
        INDArray inputGradient;
        INDArray weightGradient;
        if (bias == null) {
            INDArray[] both = convolutionBackprop(a.input(), weights.in(theta), preGradient);
            inputGradient = both[0];
            weightGradient = both[1];
        } else {
            inputGradient = Nd4j.createUninitialized(a.input().dataType(), a.input().shape());
            weightGradient = Nd4j.createUninitialized(a.input().dataType(), weights.shape());
            INDArray biasGradient = Nd4j.createUninitialized(a.input().dataType(), weights.shape()[0]);
            Nd4j.exec(op("conv2d_bp").addInputs(a.input(), weights.in(theta), biasIn(theta), preGradient)
                    .addOutputs(inputGradient, weightGradient, biasGradient).build());
            bias.write(gradient, biasGradient);
            OffHeap.release(biasGradient);
        }
        weights.write(gradient, weightGradient);
        OffHeap.release(weightGradient);
        if (relu) {
            OffHeap.release(preGradient);
        }
        if (!needInput) {
            OffHeap.release(inputGradient);
            return null;
        }
        return inputGradient;
    }

    /** The weight (and bias) gradients written straight into their slots of {@code gradient}. */
    private INDArray oneDnnBackward(INDArray theta, Activations a, INDArray preGradient, INDArray gradient,
                                    boolean needInput) {
        INDArray input = a.input();
        INDArray inputGradient = needInput ? Nd4j.createUninitialized(input.dataType(), input.shape()) : null;
        INDArray blockedInput = a.kept().length == 0 ? null : a.kept()[0];
        oneDnn(input, preGradient, bias != null).backward(input, blockedInput, weights.in(theta), preGradient,
                inputGradient, weights.in(gradient), bias == null ? null : biasIn(gradient));
        if (relu) {
            OffHeap.release(preGradient);
        }
        return inputGradient;
    }

    private OneDnnConvolution oneDnn(INDArray input, INDArray output, boolean withBias) {
        long[] w = weights.shape();
        long[] padLeft = sameMode
                ? new long[]{samePadding(input.size(2), output.size(2), w[2], strideH),
                        samePadding(input.size(3), output.size(3), w[3], strideW)}
                : new long[]{padH, padW};
        return OneDnnConvolution.of(OneDnn.mapShape(input), w, OneDnn.mapShape(output), new long[]{strideH, strideW},
                padLeft, withBias, OneDnn.layoutOf(input), OneDnn.layoutOf(output));
    }

    /** The top (left) padding of same mode as libnd4j computes it; the odd remainder goes to the bottom (right). */
    private static long samePadding(long in, long out, long kernel, int stride) {
        return Math.max(0, ((out - 1) * stride + kernel - in) / 2);
    }

    /**
     * ∇W[o,c,a,b] = Σ_n,i,j ∇y[n,o,i,j]·x[n,c,i+a,j+b] is itself a forward convolution (stride 1): of the
     * input with channels and batch swapped, [C, N, H, W], by ∇y as kernels [out, N, oH, oW].
     */
    private static INDArray weightGradientAsConvolution(INDArray input, INDArray preGradient) {
        INDArray x = input.size(1) == 1 ? input.reshape('c', 1, input.size(0), input.size(2), input.size(3))
                : input.permute(1, 0, 2, 3).dup('c');
        INDArray kernels = preGradient.permute(1, 0, 2, 3).dup('c');
        long kH = input.size(2) - preGradient.size(2) + 1;
        long kW = input.size(3) - preGradient.size(3) + 1;
        INDArray out = Nd4j.createUninitialized(input.dataType(), input.size(1), preGradient.size(1), kH, kW);
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, kernels).addOutputs(out)
                .addIntegerArguments((int) preGradient.size(2), (int) preGradient.size(3), 1, 1, 0, 0, 1, 1, 0, NCHW,
                        WEIGHTS_OIHW).build());
        OffHeap.release(kernels);
        if (input.size(1) != 1) {
            OffHeap.release(x);
        }
        return out.permute(1, 0, 2, 3);
    }

    private long[] outputShape(INDArray input) {
        long[] shape = weights.shape();
        return new long[]{input.size(0), shape[0], outputSize(input.size(2), shape[2], strideH, padH),
                outputSize(input.size(3), shape[3], strideW, padW)};
    }

    private long outputSize(long in, long kernel, int stride, int pad) {
        return sameMode ? (in + stride - 1) / stride : (in + 2L * pad - kernel) / stride + 1;
    }

    private INDArray biasIn(INDArray theta) {
        return bias.in(theta).reshape(bias.length());
    }

    private DynamicCustomOp.DynamicCustomOpsBuilder op(String name) {
        long[] w = weights.shape();
        return DynamicCustomOp.builder(name).addIntegerArguments((int) w[2], (int) w[3], strideH, strideW, padH, padW,
                1, 1, sameMode ? 1 : 0, NCHW, WEIGHTS_OIHW);
    }
}
