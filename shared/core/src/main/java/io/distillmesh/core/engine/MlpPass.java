package io.distillmesh.core.engine;

import java.nio.Buffer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Forward and backward passes of a dense stack ({@link MlpLayout}) on flat buffers: per layer one matrix multiply
 * forward, two backward, and a loop each for bias, activation and dropout. Holds its activations between the two
 * passes; one instance per training thread.
 */
final class MlpPass<B extends Buffer> {
    private final FlatKernels<B> kernels;
    private final MlpLayout layout;
    private final SplittableRandom random;
    private int capacity;
    private B[] outputs;
    private B[] dropped;
    private B[] masks;
    private B deltaA;
    private B deltaB;
    private double[] logits = new double[0];
    private double[] logitGradient = new double[0];

    MlpPass(FlatKernels<B> kernels, MlpLayout layout) {
        this.kernels = kernels;
        this.layout = layout;
        this.random = new SplittableRandom(layout.seed());
    }

    /**
     * The batch mean loss of {@code n} rows of {@code x} against {@code labels} at {@code params}, with its gradient
     * written into {@code gradient} (all of it). Dropout is applied when {@code training}.
     */
    double lossAndGradient(B params, B x, double[] labels, int n, B gradient, boolean training) {
        forward(params, x, n, training);
        List<MlpLayout.Dense> layers = layout.layers();
        int last = layers.size() - 1;
        int classes = layers.get(last).nOut();
        kernels.toDoubles(outputs[last], 0, logits, n * classes);
        double loss = layout.loss().lossAndGradient(logits, labels, n, logitGradient);
        B delta = deltaA;
        B spare = deltaB;
        kernels.fromDoubles(logitGradient, n * classes, delta, 0);
        for (int l = last; l >= 0; l--) {
            MlpLayout.Dense d = layers.get(l);
            B input = layerInput(l, x);
            kernels.gemm(true, false, d.nOut(), d.nIn(), n, delta, 0, d.nOut(), input, 0, d.nIn(), false,
                    gradient, d.weights(), d.nIn());
            kernels.columnSums(delta, n, d.nOut(), gradient, d.bias());
            if (l > 0) {
                kernels.gemm(false, false, n, d.nIn(), d.nOut(), delta, 0, d.nOut(), params, d.weights(), d.nIn(),
                        false, spare, 0, d.nIn());
                if (d.keep() < 1) {
                    kernels.multiply(spare, masks[l], n * d.nIn());
                }
                kernels.multiplyByDerivative(spare, outputs[l - 1], n * d.nIn(), layers.get(l - 1).activation());
                B t = delta;
                delta = spare;
                spare = t;
            }
        }
        return loss;
    }

    /** The network's output for {@code n} rows of {@code x} (probabilities or logits, as its output layer says). */
    double[] output(B params, B x, int n) {
        forward(params, x, n, false);
        int last = layout.layers().size() - 1;
        int classes = layout.layers().get(last).nOut();
        double[] out = new double[n * classes];
        kernels.toDoubles(outputs[last], 0, out, n * classes);
        layout.loss().activateOutput(out, n);
        return out;
    }

    private void forward(B params, B x, int n, boolean training) {
        ensureCapacity(n);
        List<MlpLayout.Dense> layers = layout.layers();
        for (int l = 0; l < layers.size(); l++) {
            MlpLayout.Dense d = layers.get(l);
            B input = l == 0 ? x : outputs[l - 1];
            if (training && d.keep() < 1) {
                kernels.copy(input, 0, dropped[l], 0, n * d.nIn());
                kernels.dropout(dropped[l], n * d.nIn(), d.keep(), random, masks[l]);
                input = dropped[l];
            }
            kernels.gemm(false, true, n, d.nOut(), d.nIn(), input, 0, d.nIn(), params, d.weights(), d.nIn(), false,
                    outputs[l], 0, d.nOut());
            kernels.addBiasAndActivate(outputs[l], n, d.nOut(), params, d.bias(), d.activation());
        }
    }

    /** The input layer {@code l} saw in the last training forward pass. */
    private B layerInput(int l, B x) {
        MlpLayout.Dense d = layout.layers().get(l);
        if (d.keep() < 1) {
            return dropped[l];
        }
        return l == 0 ? x : outputs[l - 1];
    }

    @SuppressWarnings("unchecked")
    private void ensureCapacity(int n) {
        if (n <= capacity) {
            return;
        }
        List<MlpLayout.Dense> layers = layout.layers();
        int size = layers.size();
        B[] newOutputs = (B[]) new Buffer[size];
        B[] newDropped = (B[]) new Buffer[size];
        B[] newMasks = (B[]) new Buffer[size];
        for (int l = 0; l < size; l++) {
            MlpLayout.Dense d = layers.get(l);
            newOutputs[l] = kernels.allocate(n * d.nOut());
            if (d.keep() < 1) {
                newDropped[l] = kernels.allocate(n * d.nIn());
                newMasks[l] = kernels.allocate(n * d.nIn());
            }
        }
        outputs = newOutputs;
        dropped = newDropped;
        masks = newMasks;
        deltaA = kernels.allocate(n * layout.widest());
        deltaB = kernels.allocate(n * layout.widest());
        int classes = layers.get(size - 1).nOut();
        logits = new double[n * classes];
        logitGradient = new double[n * classes];
        capacity = n;
    }
}
