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

    /** Whether {@link #hessianVectorProduct} is available: an exact second-order pass through every layer. */
    default boolean exactHessianVectorProducts() {
        return false;
    }

    /**
     * The exact Hessian-vector product Hv = ∂/∂ε ∇θ ℓ(x, θ+εv) and the mixed product ∂/∂ε ∇x ℓ(x, θ+εv), for engines
     * that {@link #exactHessianVectorProducts() have it}.
     */
    default LossGradients.ParamsAndInput hessianVectorProduct(INDArray theta, INDArray v, INDArray x, INDArray y) {
        throw new UnsupportedOperationException(name() + " backprop has no exact Hessian-vector products");
    }
}
