package io.distillmesh.core.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convolution pass in float, on oneDNN's primitives, against libnd4j's conv2d / conv2d_bp ops on the same
 * arrays: forward, input, weight and bias gradients, for each kind of convolution the engine's networks hold.
 * Weights and biases lie at odd offsets of θ, so the arrays are bound as views.
 */
class OneDnnConvolutionTest {
    private static final long OFFSET = 7;

    @ParameterizedTest(name = "{0}×{1}×{2}×{3} by {4}×{5}×{5}, stride {6}, pad {7}, same {8}, bias {9}")
    @CsvSource({
            "128, 1, 28, 28, 16, 5, 1, 0, false, true",
            "6, 16, 12, 12, 32, 5, 1, 0, false, true",
            "5, 3, 10, 10, 8, 3, 1, 1, false, true",
            "4, 16, 14, 14, 32, 3, 2, 0, true, false",
            "4, 16, 14, 14, 32, 1, 2, 0, true, false",
            "4, 16, 7, 7, 16, 3, 1, 0, true, false"})
    void forwardAndGradientsEqualLibnd4jsOps(int n, int c, int h, int w, int out, int k, int stride, int pad,
                                             boolean same, boolean withBias) {
        assertTrue(OneDnn.serves(DataType.FLOAT), "oneDNN serves float convolutions by default");
        long[] weightShape = {out, c, k, k};
        ParameterSlot weights = new ParameterSlot(OFFSET, weightShape, 'c');
        ParameterSlot bias = withBias ? new ParameterSlot(OFFSET + weights.length(), new long[]{1, out}, 'c') : null;
        long size = OFFSET + weights.length() + (withBias ? out : 0) + 3;
        Nd4j.getRandom().setSeed(n * 31L + c);
        INDArray theta = Nd4j.rand(DataType.FLOAT, size).subi(0.5);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, c, h, w).subi(0.5);
        ConvolutionPass pass = new ConvolutionPass(weights, bias, stride, stride, pad, pad, same, false);

        LayerPass.Activations a = pass.forward(theta, x);
        INDArray wIn = weights.in(theta).dup();
        INDArray bIn = withBias ? bias.in(theta).reshape(out).dup() : null;
        INDArray expected = Nd4j.create(DataType.FLOAT, a.output().shape());
        INDArray[] inputs = withBias ? new INDArray[]{x, wIn, bIn} : new INDArray[]{x, wIn};
        Nd4j.exec(op("conv2d", k, stride, pad, same).addInputs(inputs).addOutputs(expected).build());
        assertClose(expected, a.output(), "forward");

        INDArray dy = Nd4j.rand(DataType.FLOAT, a.output().shape()).subi(0.5);
        INDArray gradient = Nd4j.zeros(DataType.FLOAT, size);
        INDArray dx = pass.backward(theta, a, dy, gradient, true);
        INDArray expectedDx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray expectedDw = Nd4j.create(DataType.FLOAT, weightShape);
        INDArray expectedDb = Nd4j.create(DataType.FLOAT, out);
        INDArray[] bpInputs = withBias ? new INDArray[]{x, wIn, bIn, dy} : new INDArray[]{x, wIn, dy};
        INDArray[] bpOutputs = withBias ? new INDArray[]{expectedDx, expectedDw, expectedDb}
                : new INDArray[]{expectedDx, expectedDw};
        Nd4j.exec(op("conv2d_bp", k, stride, pad, same).addInputs(bpInputs).addOutputs(bpOutputs).build());
        assertClose(expectedDx, dx, "input gradient");
        assertClose(expectedDw, weights.in(gradient), "weight gradient");
        if (withBias) {
            assertClose(expectedDb, bias.in(gradient).reshape(out), "bias gradient");
        }
        assertArrayEquals(new float[(int) OFFSET], gradient.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, OFFSET))
                .toFloatVector(), "nothing written before the layer's slots");

        INDArray weightsOnly = Nd4j.zeros(DataType.FLOAT, size);
        assertTrue(pass.backward(theta, a, dy, weightsOnly, false) == null, "no input gradient when none is needed");
        assertClose(expectedDw, weights.in(weightsOnly), "weight gradient without the input's");
    }

    private static DynamicCustomOp.DynamicCustomOpsBuilder op(String name, int k, int stride, int pad, boolean same) {
        return DynamicCustomOp.builder(name).addIntegerArguments(k, k, stride, stride, pad, pad, 1, 1, same ? 1 : 0, 0, 1);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double error = expected.sub(actual.reshape(expected.shape())).amaxNumber().doubleValue() / scale;
        assertTrue(error < 1e-5, what + ": largest difference " + error + " of the largest value");
    }
}
