package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BroadcastOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation as DL4J's {@code BatchNormalization} layer computes it, per channel of NCHW feature maps or
 * per column of rows: y = γ·(x − μ)/√(σ² + ε) + β with the batch's mean and (biased) variance in training mode and
 * the running estimates in inference mode. The running estimates live in θ as DL4J keeps them (the mean, and the
 * variance or log₁₀ of the standard deviation); the backward pass writes their update into their gradient slots in
 * DL4J's form, (old − new), which DL4J's no-op optimizer blocks subtract.
 */
final class BatchNormPass implements LayerPass {
    private static final int CHANNELS = 1;
    private final ParameterSlot gamma;
    private final ParameterSlot beta;
    private final ParameterSlot runningMean;
    private final ParameterSlot runningSpread;
    private final boolean logStd;
    private final double eps;
    private final double decay;

    /** {@code runningSpread}: the running variance, or with {@code logStd} the running log₁₀ standard deviation. */
    BatchNormPass(ParameterSlot gamma, ParameterSlot beta, ParameterSlot runningMean, ParameterSlot runningSpread,
                  boolean logStd, double eps, double decay) {
        this.gamma = gamma;
        this.beta = beta;
        this.runningMean = runningMean;
        this.runningSpread = runningSpread;
        this.logStd = logStd;
        this.eps = eps;
        this.decay = decay;
    }

    @Override
    public Activations forward(INDArray theta, INDArray input) {
        return forward(theta, input, true);
    }

    @Override
    public Activations forward(INDArray theta, INDArray x, boolean training) {
        int[] dims = reduced(x);
        INDArray mean;
        INDArray variance;
        if (training) {
            mean = x.mean(dims);
            variance = x.var(false, dims);
        } else {
            mean = vector(runningMean, theta).dup();
            variance = runningVariance(theta);
        }
        INDArray inverseStd = Transforms.pow(variance.add(eps), -0.5, false);
        INDArray normalised = broadcast(new BroadcastSubOp(x, mean, Nd4j.createUninitialized(x.dataType(), x.shape()),
                CHANNELS));
        broadcast(new BroadcastMulOp(normalised, inverseStd, normalised, CHANNELS));
        INDArray y = broadcast(new BroadcastMulOp(normalised, vector(gamma, theta),
                Nd4j.createUninitialized(x.dataType(), x.shape()), CHANNELS));
        broadcast(new BroadcastAddOp(y, vector(beta, theta), y, CHANNELS));
        return new Activations(x, y, normalised, inverseStd, mean, variance);
    }

    /**
     * With x̂ the normalised input and M the values per channel: ∂β = Σ∂y, ∂γ = Σ∂y·x̂, and
     * ∂x = γ/√(σ² + ε) · (∂y − ∂β/M − x̂·∂γ/M).
     */
    @Override
    public INDArray backward(INDArray theta, Activations a, INDArray dy, INDArray gradient, boolean needInput) {
        INDArray normalised = a.kept()[0];
        INDArray inverseStd = a.kept()[1];
        int[] dims = reduced(dy);
        INDArray dBeta = dy.sum(dims);
        INDArray product = dy.mul(normalised);
        INDArray dGamma = product.sum(dims);
        OffHeap.release(product);
        gamma.write(gradient, dGamma.reshape(gamma.shape()));
        beta.write(gradient, dBeta.reshape(beta.shape()));
        writeRunningStatisticUpdates(theta, a.kept()[2], a.kept()[3], gradient);
        if (!needInput) {
            return null;
        }
        double perChannel = dy.length() / dBeta.length();
        INDArray dx = broadcast(new BroadcastMulOp(normalised, dGamma.div(-perChannel),
                Nd4j.createUninitialized(dy.dataType(), dy.shape()), CHANNELS));
        dx.addi(dy);
        broadcast(new BroadcastSubOp(dx, dBeta.div(perChannel), dx, CHANNELS));
        broadcast(new BroadcastMulOp(dx, inverseStd.mul(vector(gamma, theta)), dx, CHANNELS));
        return dx;
    }

    /** DL4J's form of the running averages' step: old − new, with new = decay·old + (1 − decay)·batch. */
    private void writeRunningStatisticUpdates(INDArray theta, INDArray batchMean, INDArray batchVariance,
                                              INDArray gradient) {
        INDArray oldMean = vector(runningMean, theta);
        runningMean.write(gradient, oldMean.sub(batchMean).muli(1 - decay).reshape(runningMean.shape()));
        if (logStd) {
            INDArray oldVariance = runningVariance(theta);
            INDArray newVariance = oldVariance.mul(decay).addi(batchVariance.mul(1 - decay));
            INDArray step = Transforms.log(oldVariance.divi(newVariance), false).muli(0.5 / Math.log(10));
            runningSpread.write(gradient, step.reshape(runningSpread.shape()));
        } else {
            INDArray step = vector(runningSpread, theta).sub(batchVariance).muli(1 - decay);
            runningSpread.write(gradient, step.reshape(runningSpread.shape()));
        }
    }

    private INDArray runningVariance(INDArray theta) {
        INDArray spread = vector(runningSpread, theta);
        if (!logStd) {
            return spread.dup();
        }
        INDArray std = Transforms.pow(Nd4j.valueArrayOf(spread.shape(), 10.0, spread.dataType()), spread, false);
        return std.muli(std);
    }

    private static INDArray vector(ParameterSlot slot, INDArray theta) {
        return slot.in(theta).reshape(slot.length());
    }

    private static int[] reduced(INDArray x) {
        return x.rank() == 4 ? new int[]{0, 2, 3} : new int[]{0};
    }

    private static INDArray broadcast(BroadcastOp op) {
        return Nd4j.exec(op);
    }
}
