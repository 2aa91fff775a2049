package io.distillmesh.core.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Max pooling in float on oneDNN (with the forward pass's record of each window's winner) against libnd4j's
 * maxpool2d / maxpool2d_bp, including windows that leave a last row and column out, and inference without a record.
 */
class OneDnnMaxPoolingTest {
    @ParameterizedTest(name = "{0}×{1}×{2}×{3}, window {4}, stride {5}")
    @CsvSource({"128, 16, 24, 24, 2, 2", "5, 3, 7, 7, 2, 2", "4, 2, 9, 9, 3, 2", "3, 32, 8, 8, 2, 1"})
    void forwardAndBackwardEqualLibnd4jsOps(int n, int c, int h, int w, int k, int stride) {
        Nd4j.getRandom().setSeed(n + 100L * c);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, c, h, w).subi(0.5);
        MaxPoolingPass pass = new MaxPoolingPass(k, k, stride, stride);
        PoolingWindow window = new PoolingWindow(k, k, stride, stride);

        LayerPass.Activations a = pass.forward(null, x);
        assertEquals(1, a.kept().length, "the training pass keeps each window's winner");
        INDArray expected = window.pool("maxpool2d", x);
        assertEquals(0.0, expected.sub(a.output()).amaxNumber().doubleValue(), "forward");
        LayerPass.Activations inference = pass.forward(null, x, false);
        assertEquals(0, inference.kept().length, "inference keeps nothing");
        assertEquals(0.0, expected.sub(inference.output()).amaxNumber().doubleValue(), "inference forward");

        INDArray dy = Nd4j.rand(DataType.FLOAT, a.output().shape()).subi(0.5);
        INDArray expectedDx = window.backward("maxpool2d_bp", x, dy);
        assertEquals(0.0, expectedDx.sub(pass.backward(null, a, dy, null, true)).amaxNumber().doubleValue(),
                "input gradient");
        INDArray transposed = dy.permute(1, 0, 2, 3).dup('c').permute(1, 0, 2, 3);
        assertEquals(0.0, expectedDx.sub(pass.backward(null, a, transposed, null, true)).amaxNumber().doubleValue(),
                "input gradient from a gradient that is not in c order");
    }
}
