package io.distillmesh.core.engine;

import java.nio.Buffer;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation as DL4J's {@code BatchNormalization} layer computes it, per channel of NCHW feature maps or
 * per column of rows: y = γ·(x − μ)/√(σ² + ε) + β with the batch's mean and (biased) variance in training mode and
 * the running estimates in inference mode. The running estimates live in θ as DL4J keeps them (the mean, and the
 * variance or log₁₀ of the standard deviation); the backward pass writes their update into their gradient slots in
 * DL4J's form, (old − new), which DL4J's no-op optimizer blocks subtract. The loops run in Java over the arrays'
 * memory, two passes forward and two backward, with the per-channel sums in double precision; the channels are
 * split across the engine's threads ({@link ParallelRanges}).
 */
final class BatchNormPass<B extends Buffer> implements LayerPass {
    private static final int CHUNK = 2048;
    private final FlatKernels<B> kernels;
    private final ParameterSlot gamma;
    private final ParameterSlot beta;
    private final ParameterSlot runningMean;
    private final ParameterSlot runningSpread;
    private final boolean logStd;
    private final double eps;
    private final double decay;

    /** {@code runningSpread}: the running variance, or with {@code logStd} the running log₁₀ standard deviation. */
    BatchNormPass(FlatKernels<B> kernels, ParameterSlot gamma, ParameterSlot beta, ParameterSlot runningMean,
                  ParameterSlot runningSpread, boolean logStd, double eps, double decay) {
        this.kernels = kernels;
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
    public Activations forward(INDArray theta, INDArray input, boolean training) {
        if (OneDnn.isBlocked(input)) {
            return blockedForward(theta, input, training);
        }
        INDArray x = FlatArrays.dense(input, kernels.dataType());
        Layout layout = Layout.of(x);
        double[] mean;
        double[] variance;
        if (training) {
            double[][] moments = moments(kernels.view(x), layout);
            mean = moments[0];
            variance = moments[1];
        } else {
            mean = values(runningMean, theta);
            variance = runningVariance(theta);
        }
        double[] inverseStd = new double[layout.channels];
        double[] scale = new double[layout.channels];
        double[] shift = new double[layout.channels];
        double[] g = values(gamma, theta);
        double[] be = values(beta, theta);
        for (int c = 0; c < layout.channels; c++) {
            inverseStd[c] = 1 / Math.sqrt(variance[c] + eps);
            scale[c] = g[c] * inverseStd[c];
            shift[c] = be[c] - mean[c] * scale[c];
        }
        INDArray y = Nd4j.createUninitialized(x.dataType(), x.shape());
        affine(kernels.view(x), kernels.view(y), layout, scale, shift);
        return new Activations(x, y, Nd4j.createFromArray(mean), Nd4j.createFromArray(inverseStd),
                Nd4j.createFromArray(variance));
    }

    /**
     * With x̂ the normalised input and M the values per channel: ∂β = Σ∂y, ∂γ = Σ∂y·x̂, and
     * ∂x = γ/√(σ² + ε) · (∂y − ∂β/M − x̂·∂γ/M).
     */
    @Override
    public INDArray backward(INDArray theta, Activations activations, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        if (OneDnn.isBlocked(activations.input())) {
            return blockedBackward(theta, activations, outputGradient, gradient, needInput);
        }
        INDArray x = activations.input();
        INDArray dy = FlatArrays.dense(outputGradient, kernels.dataType());
        Layout layout = Layout.of(x);
        double[] mean = activations.kept()[0].toDoubleVector();
        double[] inverseStd = activations.kept()[1].toDoubleVector();
        double[][] sums = gradientSums(kernels.view(x), kernels.view(dy), layout, mean, inverseStd);
        double[] dBeta = sums[0];
        double[] dGamma = sums[1];
        write(gamma, dGamma, gradient);
        write(beta, dBeta, gradient);
        writeRunningStatisticUpdates(theta, mean, activations.kept()[2].toDoubleVector(), gradient);
        if (!needInput) {
            return null;
        }
        double[] g = values(gamma, theta);
        double perChannel = (double) layout.n * layout.spatial;
        double[] factor = new double[layout.channels];
        double[] offset = new double[layout.channels];
        double[] slope = new double[layout.channels];
        for (int c = 0; c < layout.channels; c++) {
            factor[c] = g[c] * inverseStd[c];
            offset[c] = dBeta[c] / perChannel;
            slope[c] = dGamma[c] / perChannel;
        }
        INDArray dx = Nd4j.createUninitialized(x.dataType(), x.shape());
        inputGradient(kernels.view(x), kernels.view(dy), kernels.view(dx), layout, mean, inverseStd, factor, offset,
                slope);
        return dx;
    }

    /** Maps in oneDNN's blocked layout go through its primitives; they keep the batch's mean and variance. */
    private Activations blockedForward(INDArray theta, INDArray input, boolean training) {
        INDArray x = OneDnn.isPlain(input) ? input : input.dup('c');
        long[] shape = OneDnn.mapShape(x);
        OneDnnBatchNorm plan = OneDnnBatchNorm.of(shape, eps);
        INDArray y = Nd4j.createUninitialized(x.dataType(), x.shape());
        INDArray mean;
        INDArray variance;
        if (training) {
            mean = Nd4j.createUninitialized(x.dataType(), shape[1]);
            variance = Nd4j.createUninitialized(x.dataType(), shape[1]);
            plan.training(x, gamma.in(theta), beta.in(theta), y, mean, variance);
        } else {
            mean = Nd4j.createFromArray(values(runningMean, theta)).castTo(x.dataType());
            variance = Nd4j.createFromArray(runningVariance(theta)).castTo(x.dataType());
            plan.inference(x, gamma.in(theta), beta.in(theta), y, mean, variance);
        }
        return new Activations(x, y, mean, variance);
    }

    private INDArray blockedBackward(INDArray theta, Activations activations, INDArray outputGradient,
                                     INDArray gradient, boolean needInput) {
        INDArray x = activations.input();
        INDArray mean = activations.kept()[0];
        INDArray variance = activations.kept()[1];
        INDArray dy = OneDnn.isPlain(outputGradient) ? outputGradient : outputGradient.dup('c');
        INDArray dx = Nd4j.createUninitialized(x.dataType(), x.shape());
        OneDnnBatchNorm.of(OneDnn.mapShape(x), eps).backward(x, gamma.in(theta), beta.in(theta), mean, variance, dy,
                dx, gamma.in(gradient), beta.in(gradient));
        writeRunningStatisticUpdates(theta, mean.toDoubleVector(), variance.toDoubleVector(), gradient);
        if (dy != outputGradient) {
            OffHeap.release(dy);
        }
        if (!needInput) {
            OffHeap.release(dx);
            return null;
        }
        return dx;
    }

    /** The shape as the loops see it: n samples of channels × spatial values (rows: spatial 1, channel = column). */
    private record Layout(int n, int channels, int spatial) {
        static Layout of(INDArray x) {
            if (x.rank() == 4) {
                return new Layout((int) x.size(0), (int) x.size(1), (int) (x.size(2) * x.size(3)));
            }
            if (x.rank() == 2) {
                return new Layout((int) x.size(0), (int) x.size(1), 1);
            }
            throw new IllegalArgumentException("batch normalisation of rank-" + x.rank() + " arrays (2 or 4 only)");
        }

        boolean rows() {
            return spatial == 1;
        }
    }

    /** Visits the values in runs of at most one chunk, each within one (sample, channel) map or one row. */
    private interface Run {
        /**
         * {@code channel}: the run's channel, or for rows −1 (the channel is then {@code first + i});
         * {@code a} and {@code b}: scratch of one chunk each, the visiting thread's own.
         */
        void visit(int offset, int length, int channel, int first, double[] a, double[] b);
    }

    /** Visits every value, the channels split across the engine's threads; each thread visits its channels only. */
    private static void runs(Layout layout, Run run) {
        ParallelRanges.run(layout.channels, (long) layout.n * layout.spatial, (from, to) -> {
            double[] a = new double[CHUNK];
            double[] b = new double[CHUNK];
            runs(layout, from, to, run, a, b);
        });
    }

    private static void runs(Layout layout, int fromChannel, int toChannel, Run run, double[] a, double[] b) {
        if (layout.rows()) {
            for (int r = 0; r < layout.n; r++) {
                for (int c0 = fromChannel; c0 < toChannel; c0 += CHUNK) {
                    run.visit(r * layout.channels + c0, Math.min(CHUNK, toChannel - c0), -1, c0, a, b);
                }
            }
            return;
        }
        for (int s = 0; s < layout.n; s++) {
            for (int c = fromChannel; c < toChannel; c++) {
                int start = (s * layout.channels + c) * layout.spatial;
                for (int k = 0; k < layout.spatial; k += CHUNK) {
                    run.visit(start + k, Math.min(CHUNK, layout.spatial - k), c, 0, a, b);
                }
            }
        }
    }

    /**
     * Per-channel mean and biased variance, in one pass (sums shifted by the channel's first value): maps a channel
     * at a time across the batch, rows a run of columns at a time.
     */
    private double[][] moments(B x, Layout layout) {
        double[] shiftBy = new double[layout.channels];
        double[] sum = new double[layout.channels];
        double[] squares = new double[layout.channels];
        if (layout.rows()) {
            boolean[] seen = new boolean[layout.channels];
            runs(layout, (offset, length, channel, first, a, b) -> {
                kernels.toDoubles(x, offset, a, length);
                for (int i = 0; i < length; i++) {
                    int c = first + i;
                    if (!seen[c]) {
                        seen[c] = true;
                        shiftBy[c] = a[i];
                    }
                    double d = a[i] - shiftBy[c];
                    sum[c] += d;
                    squares[c] += d * d;
                }
            });
        } else {
            channels(layout, c -> {
                double[] sums = new double[2];
                shiftBy[c] = kernels.valueAt(x, c * layout.spatial);
                kernels.centredSums(x, c * layout.spatial, layout.channels * layout.spatial, layout.n,
                        layout.spatial, shiftBy[c], sums);
                sum[c] = sums[0];
                squares[c] = sums[1];
            });
        }
        double count = (double) layout.n * layout.spatial;
        double[] mean = new double[layout.channels];
        double[] variance = new double[layout.channels];
        for (int c = 0; c < layout.channels; c++) {
            double m = sum[c] / count;
            mean[c] = shiftBy[c] + m;
            variance[c] = Math.max(0, squares[c] / count - m * m);
        }
        return new double[][]{mean, variance};
    }

    /** Visits each channel of NCHW maps once, the channels split across the engine's threads. */
    private static void channels(Layout layout, IntConsumer perChannel) {
        ParallelRanges.run(layout.channels, (long) layout.n * layout.spatial, (from, to) -> {
            for (int c = from; c < to; c++) {
                perChannel.accept(c);
            }
        });
    }

    /** y = scale·x + shift, per channel. */
    private void affine(B x, B y, Layout layout, double[] scale, double[] shift) {
        runs(layout, (offset, length, channel, first, a, b) -> {
            if (channel >= 0) {
                kernels.scaleAndShift(x, y, offset, length, scale[channel], shift[channel]);
                return;
            }
            kernels.toDoubles(x, offset, a, length);
            for (int i = 0; i < length; i++) {
                a[i] = a[i] * scale[first + i] + shift[first + i];
            }
            kernels.fromDoubles(a, length, y, offset);
        });
    }

    /** Per channel: Σ∂y and Σ∂y·x̂. */
    private double[][] gradientSums(B x, B dy, Layout layout, double[] mean, double[] inverseStd) {
        double[] dyTotal = new double[layout.channels];
        double[] dyNormalised = new double[layout.channels];
        if (!layout.rows()) {
            channels(layout, c -> {
                double[] sums = new double[2];
                kernels.gradientSums(x, dy, c * layout.spatial, layout.channels * layout.spatial, layout.n,
                        layout.spatial, mean[c], sums);
                dyTotal[c] = sums[0];
                dyNormalised[c] = sums[1] * inverseStd[c];
            });
            return new double[][]{dyTotal, dyNormalised};
        }
        runs(layout, (offset, length, channel, first, a, b) -> {
            kernels.toDoubles(x, offset, a, length);
            kernels.toDoubles(dy, offset, b, length);
            for (int i = 0; i < length; i++) {
                int c = first + i;
                dyTotal[c] += b[i];
                dyNormalised[c] += b[i] * (a[i] - mean[c]) * inverseStd[c];
            }
        });
        return new double[][]{dyTotal, dyNormalised};
    }

    /** ∂x = factor·(∂y − offset − x̂·slope), per channel. */
    private void inputGradient(B x, B dy, B dx, Layout layout, double[] mean, double[] inverseStd, double[] factor,
                               double[] offset, double[] slope) {
        runs(layout, (at, length, channel, first, a, b) -> {
            if (channel >= 0) {
                kernels.normalisationGradient(x, dy, dx, at, length, mean[channel], factor[channel], offset[channel],
                        inverseStd[channel] * slope[channel]);
                return;
            }
            kernels.toDoubles(x, at, a, length);
            kernels.toDoubles(dy, at, b, length);
            for (int i = 0; i < length; i++) {
                int c = first + i;
                b[i] = factor[c] * (b[i] - offset[c] - (a[i] - mean[c]) * inverseStd[c] * slope[c]);
            }
            kernels.fromDoubles(b, length, dx, at);
        });
    }

    /** DL4J's form of the running averages' step: old − new, with new = decay·old + (1 − decay)·batch. */
    private void writeRunningStatisticUpdates(INDArray theta, double[] batchMean, double[] batchVariance,
                                              INDArray gradient) {
        double[] oldMean = values(runningMean, theta);
        double[] meanStep = new double[oldMean.length];
        for (int c = 0; c < oldMean.length; c++) {
            meanStep[c] = (oldMean[c] - batchMean[c]) * (1 - decay);
        }
        write(runningMean, meanStep, gradient);
        double[] spread = values(runningSpread, theta);
        double[] oldVariance = runningVariance(theta);
        double[] spreadStep = new double[spread.length];
        for (int c = 0; c < spread.length; c++) {
            double newVariance = decay * oldVariance[c] + (1 - decay) * batchVariance[c];
            spreadStep[c] = logStd ? 0.5 * Math.log10(oldVariance[c] / newVariance)
                    : (spread[c] - batchVariance[c]) * (1 - decay);
        }
        write(runningSpread, spreadStep, gradient);
    }

    private double[] runningVariance(INDArray theta) {
        double[] spread = values(runningSpread, theta);
        if (logStd) {
            for (int c = 0; c < spread.length; c++) {
                spread[c] = Math.pow(10, 2 * spread[c]);
            }
        }
        return spread;
    }

    private static double[] values(ParameterSlot slot, INDArray theta) {
        return slot.in(theta).reshape(slot.length()).toDoubleVector();
    }

    private void write(ParameterSlot slot, double[] values, INDArray gradient) {
        INDArray v = Nd4j.createFromArray(values).castTo(gradient.dataType()).reshape(slot.shape());
        slot.write(gradient, v);
    }

}
