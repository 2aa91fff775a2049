package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The window of a 2-D pooling layer (NCHW, no padding: a last row or column the windows do not reach is dropped,
 * as DL4J's truncate mode does) and the libnd4j pooling ops over it.
 */
record PoolingWindow(int kernelH, int kernelW, int strideH, int strideW) {
    private static final int NCHW = 0;

    /** Runs the pooling op {@code name} (maxpool2d, avgpool2d) on {@code input}. */
    INDArray pool(String name, INDArray input) {
        INDArray out = Nd4j.createUninitialized(input.dataType(), outputShape(input));
        Nd4j.exec(op(name).addInputs(input).addOutputs(out).build());
        return out;
    }

    /** The pooled shape of {@code input}. */
    long[] outputShape(INDArray input) {
        return new long[]{input.size(0), input.size(1), (input.size(2) - kernelH) / strideH + 1,
                (input.size(3) - kernelW) / strideW + 1};
    }

    /** Runs the backward op {@code name} (maxpool2d_bp, avgpool2d_bp): the input's gradient. */
    INDArray backward(String name, INDArray input, INDArray outputGradient) {
        INDArray inputGradient = Nd4j.createUninitialized(input.dataType(), input.shape());
        Nd4j.exec(op(name).addInputs(input, outputGradient.dup('c')).addOutputs(inputGradient).build());
        return inputGradient;
    }

    /** Arguments: kernel, stride, padding 0, dilation 1, not same mode, divisor the window's size, NCHW. */
    private DynamicCustomOp.DynamicCustomOpsBuilder op(String name) {
        return DynamicCustomOp.builder(name).addIntegerArguments(kernelH, kernelW, strideH, strideW, 0, 0, 1, 1, 0, 0, NCHW);
    }
}
