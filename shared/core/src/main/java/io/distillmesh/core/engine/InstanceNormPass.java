package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Instance normalisation ({@link io.distillmesh.core.model.InstanceNormalization}): every (image, channel) map of
 * NCHW features normalised by its own mean and biased variance, then y = γ_c·x̂ + β_c. The statistics are the
 * map's own, so training and inference are the same pass and nothing is kept between batches.
 */
final class InstanceNormPass implements LayerPass {
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
        INDArray inverseStd = a.kept()[1];
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
        INDArray g = perMap(gamma.in(theta), n);
        dy.muliColumnVector(g);
        dyTimesNormalised.muliColumnVector(g);
        INDArray dx = dy.subiColumnVector(dy.mean(true, 1))
                .subi(normalised.mulColumnVector(dyTimesNormalised.mean(true, 1)))
                .muliColumnVector(inverseStd);
        return dx.reshape('c', a.input().shape());
    }

    /** A per-channel parameter as one value per (image, channel) map: [n·C, 1]. */
    private static INDArray perMap(INDArray perChannel, long n) {
        return Nd4j.tile(perChannel.reshape(1, perChannel.length()), (int) n, 1).reshape('c', n * perChannel.length(), 1);
    }
}
