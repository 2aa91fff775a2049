package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Second derivatives of the inner loss ℓ(x, θ) along a direction v: {@code Hv = ∂/∂ε ∇θ ℓ(x, θ+εv)} and the mixed
 * derivative {@code ∂/∂ε ∇x ℓ(x, θ+εv)}. Exact by the R-operator where the settings ask for it and the network's
 * backprop has it (the hand-written one on dense, convolution and max-pooling layers); otherwise by guarded finite
 * differences ({@link HvpSettings}), with one log line saying so.
 */
public final class HessianVectorProduct {
    private static final Logger LOG = LoggerFactory.getLogger(HessianVectorProduct.class);
    private final LossGradients gradients;
    private final FiniteDifferenceHvp finiteDifferences;
    private final boolean exact;

    public HessianVectorProduct(LossGradients gradients, HvpSettings settings) {
        if (gradients == null || settings == null) {
            throw new IllegalArgumentException("loss gradients and settings are required");
        }
        this.gradients = gradients;
        this.finiteDifferences = new FiniteDifferenceHvp(gradients, settings);
        this.exact = settings.method() == HvpSettings.Method.EXACT && gradients.hasExactHessianVectorProducts();
        if (settings.method() == HvpSettings.Method.EXACT && !exact) {
            LOG.info("exact Hessian-vector products need the hand-written backprop (dense, convolution and max-pooling "
                    + "layers); this network runs on {} backprop, so they are taken by finite differences "
                    + "(ε·‖v‖ = {})", gradients.engine(), settings.epsilonScale());
        }
    }

    /** How an estimate was obtained. */
    public enum Kind { EXACT, CENTRAL, CENTRAL_AFTER_RETRY, ONE_SIDED }

    /**
     * @param params  the derivative of ∇θ ℓ along v
     * @param input   the derivative of ∇x ℓ along v
     * @param passes  first-order backprop passes spent (0 for an exact product)
     */
    public record Estimate(INDArray params, INDArray input, Kind kind, int passes) {
    }

    /** Whether the products are exact (R-operator) rather than finite differences. */
    public boolean exact() {
        return exact;
    }

    /**
     * @param atTheta ∇θ ℓ and ∇x ℓ at θ itself (the inner loop computed them), used by the finite differences' guard
     */
    public Estimate along(INDArray theta, INDArray v, INDArray x, INDArray y, LossGradients.ParamsAndInput atTheta) {
        if (!exact) {
            return finiteDifferences.along(theta, v, x, y, atTheta);
        }
        LossGradients.ParamsAndInput hv = gradients.hessianVectorProduct(theta, v, x, y);
        return new Estimate(hv.params(), hv.input(), Kind.EXACT, 0);
    }
}
