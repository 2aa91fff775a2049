package io.distillmesh.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ReluTest {

    @Test
    void singlePrecisionBackwardEqualsLibnd4jsReluBpOnTwoThreadsAndOnViews() {
        int previous = Nd4j.getEnvironment().maxThreads();
        Nd4j.getEnvironment().setMaxThreads(2);
        try {
            Nd4j.getRandom().setSeed(7);
            INDArray output = Relu.applyInPlace(Nd4j.randn(DataType.FLOAT, 16, 8, 28, 28));
            INDArray gradient = Nd4j.randn(DataType.FLOAT, 16, 8, 28, 28);
            assertTrue(output.eq(0).castTo(DataType.INT32).sumNumber().intValue() > output.length() / 3,
                    "about half of the outputs are zero");
            assertEquals(libnd4j(output, gradient), Relu.backward(output, gradient));

            INDArray outputView = output.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 6));
            INDArray gradientView = gradient.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 5));
            assertEquals(libnd4j(outputView.dup(), gradientView.dup()), Relu.backward(outputView, gradientView));
        } finally {
            Nd4j.getEnvironment().setMaxThreads(previous);
        }
    }

    private static INDArray libnd4j(INDArray output, INDArray gradient) {
        INDArray result = Nd4j.create(output.dataType(), output.shape());
        Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(output, gradient).addOutputs(result)
                .addFloatingPointArguments(0.0).build());
        return result;
    }
}
