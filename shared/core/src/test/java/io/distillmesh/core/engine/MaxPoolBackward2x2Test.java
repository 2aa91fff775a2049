package io.distillmesh.core.engine;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java backward pass of 2×2 max pooling against libnd4j's maxpool2d_bp, ties and odd sizes included. */
class MaxPoolBackward2x2Test {
    private static final PoolingWindow WINDOW = new PoolingWindow(2, 2, 2, 2);

    @Test
    void routesEachWindowsGradientToItsFirstMaximumAsLibnd4jDoes() {
        for (long[] shape : new long[][]{{3, 4, 8, 6}, {2, 3, 7, 9}, {5, 1, 24, 24}}) {
            Nd4j.getRandom().setSeed(shape[2] * 31 + shape[3]);
            INDArray random = Nd4j.randn(DataType.FLOAT, shape);
            // after a ReLU many windows are all zero, and rounding makes equal maxima in others
            INDArray ties = Transforms.round(Transforms.relu(random.mul(2), true), false);
            for (INDArray input : new INDArray[]{random, ties}) {
                INDArray outputGradient = Nd4j.randn(DataType.FLOAT, shape[0], shape[1], shape[2] / 2, shape[3] / 2);
                INDArray expected = Nd4j.create(DataType.FLOAT, shape);
                Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(input, outputGradient).addOutputs(expected)
                        .addIntegerArguments(2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 0).build());
                assertTrue(MaxPoolBackward2x2.covers(WINDOW, input));
                INDArray actual = MaxPoolBackward2x2.inputGradient(input, outputGradient);
                assertEquals(expected, actual, "input " + java.util.Arrays.toString(shape)
                        + (input == ties ? " with ties" : ""));
            }
        }
    }

    @Test
    void readsViewsAndOtherOrdersAsTheirValues() {
        INDArray input = Nd4j.randn(DataType.FLOAT, 2, 3, 6, 4).dup('f');
        INDArray outputGradient = Nd4j.randn(DataType.FLOAT, 4, 3, 3, 2).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray expected = MaxPoolBackward2x2.inputGradient(input.dup('c'), outputGradient.dup('c'));
        assertEquals(expected, MaxPoolBackward2x2.inputGradient(input, outputGradient));
        assertTrue(!MaxPoolBackward2x2.covers(WINDOW, input.castTo(DataType.DOUBLE)), "double precision stays with libnd4j");
        assertTrue(!MaxPoolBackward2x2.covers(new PoolingWindow(3, 3, 2, 2), input), "other windows stay with libnd4j");
    }
}
