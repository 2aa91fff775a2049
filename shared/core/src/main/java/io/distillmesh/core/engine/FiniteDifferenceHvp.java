package io.distillmesh.core.engine;

import io.distillmesh.core.engine.HessianVectorProduct.Estimate;
import io.distillmesh.core.engine.HessianVectorProduct.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Second derivatives of the inner loss ℓ(x, θ) along a direction v from first-order backprop passes (the check on
 * the exact products, and the way for networks on DL4J's backprop):
 * {@code Hv = ∂/∂ε ∇θ ℓ(x, θ+εv)} and {@code ∂/∂ε ∇x ℓ(x, θ+εv)} (the mixed derivative ∇x(v·∇θ ℓ)), by
 * central differences at θ ± εv, ε = scale/‖v‖, guarded against kinks as {@link HvpSettings} describes.
 */
final class FiniteDifferenceHvp {
    private final LossGradients gradients;
    private final HvpSettings settings;

    FiniteDifferenceHvp(LossGradients gradients, HvpSettings settings) {
        if (gradients == null || settings == null) {
            throw new IllegalArgumentException("loss gradients and settings are required");
        }
        this.gradients = gradients;
        this.settings = settings;
    }

    /**
     * @param atTheta ∇θ ℓ and ∇x ℓ at θ itself (the inner loop computed them), used by the guard
     */
    Estimate along(INDArray theta, INDArray v, INDArray x, INDArray y, LossGradients.ParamsAndInput atTheta) {
        double norm = v.norm2Number().doubleValue();
        if (norm == 0 || !Double.isFinite(norm)) {
            throw new IllegalArgumentException("direction v must be non-zero and finite, its norm is " + norm);
        }
        double scale = settings.epsilonScale();
        Estimate best = null;
        double bestNorm = Double.POSITIVE_INFINITY;
        int passes = 0;
        for (int attempt = 0; attempt <= settings.retries(); attempt++, scale /= 8) {
            double eps = scale / norm;
            INDArray step = v.mul(eps);
            INDArray thetaPlus = theta.add(step);
            INDArray thetaMinus = theta.sub(step);
            LossGradients.ParamsAndInput plus = gradients.paramsAndInput(thetaPlus, x, y);
            LossGradients.ParamsAndInput minus = gradients.paramsAndInput(thetaMinus, x, y);
            OffHeap.release(thetaPlus, thetaMinus);
            passes += 2;
            OffHeap.release(step);
            INDArray central = plus.params().sub(minus.params()).divi(2 * eps);
            INDArray centralInput = plus.input().sub(minus.input()).divi(2 * eps);
            if (!settings.guardOn()) {
                release(plus, minus);
                return new Estimate(central, centralInput, Kind.CENTRAL, passes);
            }
            INDArray forward = plus.params().sub(atTheta.params()).divi(eps);
            INDArray backward = atTheta.params().sub(minus.params()).divi(eps);
            INDArray forwardInput = plus.input().sub(atTheta.input()).divi(eps);
            INDArray backwardInput = atTheta.input().sub(minus.input()).divi(eps);
            release(plus, minus);
            double mismatch = Math.max(relativeDifference(forward, backward), relativeDifference(forwardInput, backwardInput));
            if (mismatch <= settings.kinkTolerance()) {
                OffHeap.release(forward, backward, forwardInput, backwardInput);
                if (best != null) {
                    OffHeap.release(best.params(), best.input());
                }
                return new Estimate(central, centralInput, attempt == 0 ? Kind.CENTRAL : Kind.CENTRAL_AFTER_RETRY, passes);
            }
            OffHeap.release(central, centralInput);
            double forwardNorm = forward.norm2Number().doubleValue();
            double backwardNorm = backward.norm2Number().doubleValue();
            if (Math.min(forwardNorm, backwardNorm) < bestNorm) {
                boolean useForward = forwardNorm <= backwardNorm;
                bestNorm = Math.min(forwardNorm, backwardNorm);
                if (best != null) {
                    OffHeap.release(best.params(), best.input());
                }
                best = new Estimate(useForward ? forward : backward, useForward ? forwardInput : backwardInput,
                        Kind.ONE_SIDED, 0);
                OffHeap.release(useForward ? backward : forward, useForward ? backwardInput : forwardInput);
            } else {
                OffHeap.release(forward, backward, forwardInput, backwardInput);
            }
        }
        if (best == null) {
            throw new IllegalStateException("no finite one-sided difference along v (non-finite gradients?)");
        }
        return new Estimate(best.params(), best.input(), Kind.ONE_SIDED, passes);
    }

    private static void release(LossGradients.ParamsAndInput... gradients) {
        for (LossGradients.ParamsAndInput g : gradients) {
            OffHeap.release(g.params(), g.input());
        }
    }

    private static double relativeDifference(INDArray a, INDArray b) {
        double scale = Math.max(a.norm2Number().doubleValue(), b.norm2Number().doubleValue());
        if (scale == 0) {
            return 0;
        }
        INDArray difference = a.sub(b);
        double norm = difference.norm2Number().doubleValue();
        OffHeap.release(difference);
        return norm / scale;
    }
}
