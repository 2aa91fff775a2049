package io.distillmesh.core.engine;

import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How {@link LossGradients} evaluates a network's mean loss and its first-order gradients at a flat
 * parameter vector θ (in {@code net.params()} order). Returned arrays are copies the caller owns.
 */
interface GradientEngine {
    /** A short name for logs: which implementation computes the gradients. */
    String name();

    LossGradients.ParamsAndInput paramsAndInput(INDArray theta, INDArray x, INDArray y);

    LossGradients.Scored scored(INDArray theta, INDArray x, INDArray y);

    /** As {@link #scored(INDArray, INDArray, INDArray)}, asking {@code cancelled} between chunks where it splits x. */
    default LossGradients.Scored scored(INDArray theta, INDArray x, INDArray y, BooleanSupplier cancelled) {
        CancelledException.throwIf(cancelled);
        return scored(theta, x, y);
    }

    double loss(INDArray theta, INDArray x, INDArray y);
}
