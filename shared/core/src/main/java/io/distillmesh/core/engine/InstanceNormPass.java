package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Instance normalisation ({@link io.distillmesh.core.model.InstanceNormalization}): every (image, channel) map of
 * NCHW features normalised by its own mean and biased variance, then y = γ_c·x̂ + β_c. The statistics are the
 * map's own, so training and inference are the same pass and nothing is kept between batches. With s = 1/√(σ² + ε)
 * and P pixels a map, the normalisation's Jacobian is the symmetric J = s(I − 11ᵀ/P − x̂x̂ᵀ/P): it takes ∂x̂ back
 * to ∂x, and R(x) forward to R(x̂).
 */
final class InstanceNormPass implements TangentPass {
    private final ParameterSlot gamma;
    private final ParameterSlot beta;
    private final double eps;

    InstanceNormPass(ParameterSlot gamma, ParameterSlot beta, double eps) {
        this.gamma = gamma;
        this.beta = beta;
        this.eps = eps;
    }

    /** Keeps x̂ as [maps, pixels] and 1/√(σ² + ε) as [maps, 1]. */
    @Override
    public Activations forward(INDArray theta, INDArray input) {
        long n = input.size(0);
        long channels = input.size(1);
        INDArray x = input.dup('c').reshape('c', n * channels, input.size(2) * input.size(3));
        INDArray mean = x.mean(true, 1);
        INDArray normalised = x.subiColumnVector(mean);
        INDArray variance = normalised.mul(normalised).mean(true, 1);
        INDArray inverseStd = Transforms.pow(variance.addi(eps), -0.5, false);
        normalised.muliColumnVector(inverseStd);
        INDArray y = normalised.mulColumnVector(perMap(gamma.in(theta), n)).addiColumnVector(perMap(beta.in(theta), n));
        OffHeap.release(mean);
        return new Activations(input, y.reshape('c', input.shape()), normalised, inverseStd);
    }

    /**
     * With g = γ·∂y per map of P pixels: ∂β_c = Σ∂y, ∂γ_c = Σ∂y·x̂ (over images and pixels), and
     * ∂x = (g − mean(g) − x̂·mean(g·x̂)) / √(σ² + ε), the means over the map.
     */
    @Override
    public INDArray backward(INDArray theta, Activations a, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        INDArray normalised = a.kept()[0];
        long n = a.input().size(0);
        long channels = a.input().size(1);
        INDArray dy = outputGradient.dup('c').reshape('c', normalised.shape());
        INDArray dBeta = dy.sum(1).reshape('c', n, channels).sum(0);
        INDArray dyTimesNormalised = dy.mul(normalised);
        INDArray dGamma = dyTimesNormalised.sum(1).reshape('c', n, channels).sum(0);
        gamma.write(gradient, dGamma);
        beta.write(gradient, dBeta);
        if (!needInput) {
            return null;
        }
        return jacobian(a, dy.muliColumnVector(perMap(gamma.in(theta), n))).reshape('c', a.input().shape());
    }

    /** R(y) = R(γ)·x̂ + γ·J R(x) + R(β). */
    @Override
    public INDArray forwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent) {
        INDArray normalised = a.kept()[0];
        long n = a.input().size(0);
        INDArray tangent = normalised.mulColumnVector(perMap(gamma.in(v), n)).addiColumnVector(perMap(beta.in(v), n));
        if (inputTangent != null) {
            INDArray normalisedTangent = jacobian(a, maps(inputTangent, normalised));
            tangent.addi(normalisedTangent.muliColumnVector(perMap(gamma.in(theta), n)));
        }
        return tangent.reshape('c', a.output().shape());
    }

    /**
     * With δ = ∂ℓ/∂y and g = γδ: R(∂β) = ΣR(δ), R(∂γ) = Σ(R(δ)·x̂ + δ·R(x̂)), and ∂x = J g moves with both g and J:
     * R(∂x) = J R(g) − s·mean(x̂·R(x))·∂x − s·(R(x̂)·mean(x̂·g) + x̂·mean(R(x̂)·g)), R(g) = R(γ)δ + γR(δ).
     */
    @Override
    public Gradients backwardTangent(INDArray theta, INDArray v, Activations a, INDArray inputTangent,
                                     INDArray outputGradient, INDArray outputGradientTangent, INDArray gradientTangent,
                                     boolean needInputGradient, boolean needInputTangent) {
        INDArray normalised = a.kept()[0];
        INDArray inverseStd = a.kept()[1];
        long n = a.input().size(0);
        long channels = a.input().size(1);
        INDArray delta = maps(outputGradient, normalised);
        INDArray deltaTangent = maps(outputGradientTangent, normalised);
        INDArray inputTangentMaps = inputTangent == null ? null : maps(inputTangent, normalised);
        INDArray normalisedTangent = inputTangentMaps == null ? null : jacobian(a, inputTangentMaps);
        beta.write(gradientTangent, deltaTangent.sum(1).reshape('c', n, channels).sum(0));
        INDArray gammaTangent = deltaTangent.mul(normalised);
        if (normalisedTangent != null) {
            gammaTangent.addi(delta.mul(normalisedTangent));
        }
        gamma.write(gradientTangent, gammaTangent.sum(1).reshape('c', n, channels).sum(0));
        INDArray g = delta.mulColumnVector(perMap(gamma.in(theta), n));
        INDArray inputGradient = jacobian(a, g);
        INDArray inputGradientTangent = null;
        if (needInputTangent) {
            INDArray gTangent = delta.mulColumnVector(perMap(gamma.in(v), n))
                    .addi(deltaTangent.mulColumnVector(perMap(gamma.in(theta), n)));
            inputGradientTangent = jacobian(a, gTangent);
            if (normalisedTangent != null) {
                INDArray shift = normalised.mul(inputTangentMaps).mean(true, 1).muli(inverseStd);
                inputGradientTangent.subi(inputGradient.mulColumnVector(shift));
                INDArray along = normalisedTangent.mulColumnVector(normalised.mul(g).mean(true, 1))
                        .addi(normalised.mulColumnVector(normalisedTangent.mul(g).mean(true, 1)));
                inputGradientTangent.subi(along.muliColumnVector(inverseStd));
            }
            inputGradientTangent = inputGradientTangent.reshape('c', a.input().shape());
        }
        return new Gradients(needInputGradient ? inputGradient.reshape('c', a.input().shape()) : null,
                inputGradientTangent);
    }

    /** J·u = s(u − mean(u) − x̂·mean(x̂·u)) per map, for u shaped [maps, pixels]. */
    private static INDArray jacobian(Activations a, INDArray u) {
        INDArray normalised = a.kept()[0];
        INDArray inverseStd = a.kept()[1];
        INDArray projected = u.subColumnVector(u.mean(true, 1));
        projected.subi(normalised.mulColumnVector(normalised.mul(u).mean(true, 1)));
        return projected.muliColumnVector(inverseStd);
    }

    /** An NCHW array as [maps, pixels], like {@code like}. */
    private static INDArray maps(INDArray a, INDArray like) {
        return a.dup('c').reshape('c', like.shape());
    }

    /** A per-channel parameter as one value per (image, channel) map: [n·C, 1]. */
    private static INDArray perMap(INDArray perChannel, long n) {
        return Nd4j.tile(perChannel.reshape(1, perChannel.length()), (int) n, 1).reshape('c', n * perChannel.length(), 1);
    }
}
