package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-D average pooling (NCHW, no padding; a last row or column the windows do not reach is dropped, as DL4J's
 * truncate mode does) by libnd4j's avgpool2d and avgpool2d_bp kernels.
 */
final class AveragePoolingPass implements TangentPass {
    private static final int NCHW = 0;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;

    AveragePoolingPass(int kernelH, int kernelW, int strideH, int strideW) {
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
    }

    @Override
    public Activations forward(INDArray theta, INDArray input) {
        long outH = (input.size(2) - kernelH) / strideH + 1;
        long outW = (input.size(3) - kernelW) / strideW + 1;
        INDArray out = Nd4j.createUninitialized(input.dataType(), input.size(0), input.size(1), outH, outW);
        Nd4j.exec(op("avgpool2d").addInputs(input).addOutputs(out).build());
        return new Activations(input, out);
    }

    @Override
    public INDArray backward(INDArray theta, Activations a, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        return needInput ? spread(a.input(), outputGradient) : null;
    }

    /** Pooling is linear: R(y) is the pooled R(x). */
    @Override
    public INDArray forwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent) {
        return inputTangent == null ? Nd4j.zeros(a.output().dataType(), a.output().shape())
                : forward(theta, inputTangent.dup('c')).output();
    }

    /** Its backward pass is linear too, and does not depend on θ: R(δ) spreads as δ does. */
    @Override
    public Gradients backwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent,
                                     INDArray outputGradient, INDArray outputGradientTangent, INDArray gradientTangent,
                                     boolean needInputGradient, boolean needInputTangent) {
        return new Gradients(needInputGradient ? spread(a.input(), outputGradient) : null,
                needInputTangent ? spread(a.input(), outputGradientTangent) : null);
    }

    /** Each output's gradient shared equally by its window's inputs. */
    private INDArray spread(INDArray input, INDArray outputGradient) {
        INDArray inputGradient = Nd4j.createUninitialized(input.dataType(), input.shape());
        Nd4j.exec(op("avgpool2d_bp").addInputs(input, outputGradient.dup('c')).addOutputs(inputGradient).build());
        return inputGradient;
    }

    /** Arguments: kernel, stride, padding 0, dilation 1, not same mode, divisor = the window's size, NCHW. */
    private DynamicCustomOp.DynamicCustomOpsBuilder op(String name) {
        return DynamicCustomOp.builder(name).addIntegerArguments(kernelH, kernelW, strideH, strideW, 0, 0, 1, 1, 0, 0, NCHW);
    }
}
