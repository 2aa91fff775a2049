package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-D average pooling (NCHW, no padding; a last row or column the windows do not reach is dropped, as DL4J's
 * truncate mode does) by libnd4j's avgpool2d and avgpool2d_bp kernels.
 */
final class AveragePoolingPass implements TangentPass {
    private final PoolingWindow window;

    AveragePoolingPass(int kernelH, int kernelW, int strideH, int strideW) {
        this.window = new PoolingWindow(kernelH, kernelW, strideH, strideW);
    }

    @Override
    public Activations forward(INDArray theta, INDArray input) {
        return new Activations(input, window.pool("avgpool2d", input));
    }

    @Override
    public INDArray backward(INDArray theta, Activations a, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        return needInput ? window.backward("avgpool2d_bp", a.input(), outputGradient) : null;
    }

    /** Pooling is linear: R(y) is the pooled R(x). */
    @Override
    public INDArray forwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent) {
        return inputTangent == null ? Nd4j.zeros(a.output().dataType(), a.output().shape())
                : window.pool("avgpool2d", inputTangent.dup('c'));
    }

    /** Its backward pass is linear too, and does not depend on θ: R(δ) spreads as δ does. */
    @Override
    public Gradients backwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent,
                                     INDArray outputGradient, INDArray outputGradientTangent, INDArray gradientTangent,
                                     boolean needInputGradient, boolean needInputTangent) {
        return new Gradients(needInputGradient ? window.backward("avgpool2d_bp", a.input(), outputGradient) : null,
                needInputTangent ? window.backward("avgpool2d_bp", a.input(), outputGradientTangent) : null);
    }
}
