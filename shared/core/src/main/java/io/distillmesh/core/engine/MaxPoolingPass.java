package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** 2-D max pooling (NCHW, no padding): in float by oneDNN with its workspace, else libnd4j's maxpool2d and maxpool2d_bp. */
final class MaxPoolingPass implements TangentPass {
    private final PoolingWindow window;

    MaxPoolingPass(int kernelH, int kernelW, int strideH, int strideW) {
        this.window = new PoolingWindow(kernelH, kernelW, strideH, strideW);
    }

    /** In float through oneDNN, keeping which element of each window won for the backward pass. */
    @Override
    public Activations forward(INDArray theta, INDArray input) {
        if (!OneDnn.serves(input.dataType())) {
            return new Activations(input, window.pool("maxpool2d", input));
        }
        INDArray x = OneDnn.isPlain(input) ? input : input.dup('c');
        INDArray out = Nd4j.createUninitialized(x.dataType(), window.outputShape(x));
        INDArray winners = OneDnnMaxPooling.of(x.shape(), out.shape(), window).forward(x, out);
        return new Activations(x, out, winners);
    }

    /** Inference needs no record of the winners, and libnd4j's op is the faster one without it. */
    @Override
    public Activations forward(INDArray theta, INDArray input, boolean training) {
        return training ? forward(theta, input) : new Activations(input, window.pool("maxpool2d", input));
    }

    @Override
    public INDArray backward(INDArray theta, Activations a, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        if (a.kept().length == 0) {
            return window.backward("maxpool2d_bp", a.input(), outputGradient);
        }
        INDArray dy = OneDnn.isPlain(outputGradient) ? outputGradient : outputGradient.dup('c');
        INDArray dx = Nd4j.createUninitialized(dy.dataType(), a.input().shape());
        OneDnnMaxPooling.of(a.input().shape(), a.output().shape(), window).backward(dy, a.kept()[0], dx);
        if (dy != outputGradient) {
            OffHeap.release(dy);
        }
        return dx;
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
