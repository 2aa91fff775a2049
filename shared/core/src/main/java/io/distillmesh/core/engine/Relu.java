package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** ReLU and its backward pass given the ReLU's output (positive exactly where the input was). */
final class Relu {
    private Relu() {
    }

    static INDArray applyInPlace(INDArray x) {
        return Transforms.relu(x, false);
    }

    /** {@code outputGradient} where {@code output > 0}, else 0. */
    static INDArray backward(INDArray output, INDArray outputGradient) {
        INDArray result = Nd4j.createUninitialized(output.dataType(), output.shape());
        Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(output, outputGradient).addOutputs(result)
                .addFloatingPointArguments(0.0).build());
        return result;
    }
}
