package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** 2-D max pooling (NCHW, no padding) by libnd4j's maxpool2d and maxpool2d_bp kernels. */
final class MaxPoolingPass implements TangentPass {
    private final PoolingWindow window;

    MaxPoolingPass(int kernelH, int kernelW, int strideH, int strideW) {
        this.window = new PoolingWindow(kernelH, kernelW, strideH, strideW);
    }

    @Override
    public Activations forward(INDArray theta, INDArray input) {
        return new Activations(input, window.pool("maxpool2d", input));
    }

    @Override
    public INDArray backward(INDArray theta, Activations a, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        return window.backward("maxpool2d_bp", a.input(), outputGradient);
    }

    /**
     * Each output's tangent is its window's maximum's: R(input) gathered at the first maximum of each window (where
     * a window holds equal maxima, max pooling has no derivative; after a ReLU such windows are all zero and so are
     * their tangents).
     */
    @Override
    public INDArray forwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent) {
        INDArray out = a.output();
        if (inputTangent == null) {
            return Nd4j.zeros(out.dataType(), out.shape());
        }
        double[] x = a.input().dup('c').data().asDouble();
        double[] r = inputTangent.dup('c').data().asDouble();
        int height = (int) a.input().size(2);
        int width = (int) a.input().size(3);
        int outH = (int) out.size(2);
        int outW = (int) out.size(3);
        int planes = (int) (out.size(0) * out.size(1));
        double[] tangent = new double[planes * outH * outW];
        for (int p = 0, k = 0; p < planes; p++) {
            int plane = p * height * width;
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j++, k++) {
                    int first = plane + i * window.strideH() * width + j * window.strideW();
                    int at = first;
                    for (int di = 0; di < window.kernelH(); di++) {
                        for (int dj = 0; dj < window.kernelW(); dj++) {
                            int index = first + di * width + dj;
                            if (x[index] > x[at]) {
                                at = index;
                            }
                        }
                    }
                    tangent[k] = r[at];
                }
            }
        }
        return Nd4j.createFromArray(tangent).reshape('c', out.shape()).castTo(out.dataType());
    }

    /** The routing of δ to each window's maximum is linear in δ and fixed by the input: R(δ) is routed alike. */
    @Override
    public Gradients backwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent,
                                     INDArray outputGradient, INDArray outputGradientTangent, INDArray gradientTangent,
                                     boolean needInputGradient, boolean needInputTangent) {
        return new Gradients(needInputGradient ? backward(theta, a, outputGradient, gradientTangent, true) : null,
                needInputTangent ? backward(theta, a, outputGradientTangent, gradientTangent, true) : null);
    }

}
