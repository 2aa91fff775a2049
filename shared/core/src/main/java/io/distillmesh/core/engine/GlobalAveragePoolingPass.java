package io.distillmesh.core.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The mean of each channel over its feature map: [n, c, h, w] → [n, c] (DL4J's average {@code GlobalPoolingLayer}). */
final class GlobalAveragePoolingPass implements LayerPass {
    @Override
    public Activations forward(INDArray theta, INDArray input) {
        if (OneDnn.isBlocked(input)) {
            INDArray perBlock = input.mean(2, 3);
            return new Activations(input, perBlock.reshape('c', input.size(0), input.size(1) * OneDnn.BLOCK));
        }
        return new Activations(input, input.mean(2, 3));
    }

    @Override
    public INDArray backward(INDArray theta, Activations activations, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        if (!needInput) {
            return null;
        }
        long[] shape = activations.input().shape();
        if (OneDnn.isBlocked(activations.input())) {
            return blockedBackward(shape, outputGradient);
        }
        int maps = (int) (shape[0] * shape[1]);
        int pixels = (int) (shape[2] * shape[3]);
        // each map's pixels get its gradient / pixels; filled on the heap, one copy in (ND4J's broadcast + dup cost
        // a tenth of a ResNet step)
        if (outputGradient.dataType() == DataType.DOUBLE) {
            double[] perMap = Nd4j.toFlattened('c', outputGradient).toDoubleVector();
            double[] spread = new double[maps * pixels];
            for (int m = 0; m < maps; m++) {
                Arrays.fill(spread, m * pixels, (m + 1) * pixels, perMap[m] / pixels);
            }
            return Nd4j.create(spread, shape, DataType.DOUBLE);
        }
        float[] perMap = Nd4j.toFlattened('c', outputGradient).toFloatVector();
        float[] spread = new float[maps * pixels];
        for (int m = 0; m < maps; m++) {
            Arrays.fill(spread, m * pixels, (m + 1) * pixels, perMap[m] / pixels);
        }
        return Nd4j.create(spread, shape, outputGradient.dataType());
    }

    /** Blocked maps [n, c/16, h, w, 16]: every pixel of block b gets the 16 channels' gradients / pixels. */
    private static INDArray blockedBackward(long[] shape, INDArray outputGradient) {
        int blocks = (int) (shape[0] * shape[1]);
        int pixels = (int) (shape[2] * shape[3]);
        int lanes = OneDnn.BLOCK;
        float[] perChannel = Nd4j.toFlattened('c', outputGradient).toFloatVector();
        float[] spread = new float[blocks * pixels * lanes];
        for (int b = 0; b < blocks; b++) {
            for (int lane = 0; lane < lanes; lane++) {
                perChannel[b * lanes + lane] /= pixels;
            }
            for (int p = 0; p < pixels; p++) {
                System.arraycopy(perChannel, b * lanes, spread, (b * pixels + p) * lanes, lanes);
            }
        }
        return Nd4j.create(spread, shape, outputGradient.dataType());
    }
}
