package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The mean of each channel over its feature map: [n, c, h, w] → [n, c] (DL4J's average {@code GlobalPoolingLayer}). */
final class GlobalAveragePoolingPass implements LayerPass {
    @Override
    public Activations forward(INDArray theta, INDArray input) {
        return new Activations(input, input.mean(2, 3));
    }

    @Override
    public INDArray backward(INDArray theta, Activations activations, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        if (!needInput) {
            return null;
        }
        long[] shape = activations.input().shape();
        INDArray perPixel = outputGradient.div(shape[2] * shape[3]);
        INDArray broadcast = perPixel.reshape(shape[0], shape[1], 1, 1).broadcast(shape);
        INDArray inputGradient = broadcast.dup('c');
        OffHeap.release(perPixel, broadcast);
        return inputGradient;
    }
}
