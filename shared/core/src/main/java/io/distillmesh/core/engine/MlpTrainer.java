package io.distillmesh.core.engine;

import java.nio.Buffer;
import java.util.Arrays;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a DL4J network of dense layers (any depth and width; ReLU, tanh, sigmoid or identity; dropout; a softmax
 * cross-entropy or Hinton-loss output; Adam or SGD as configured) with the flat kernels instead of {@code fit}:
 * same arithmetic, parameters and optimizer state updated in place in the network, a fraction of the per-step
 * overhead. {@link #unsupported} says why a network cannot go this way (convolutions, regularization, ...).
 * One instance per network and thread.
 */
public final class MlpTrainer {
    private final MultiLayerNetwork net;
    private final Engine<?> engine;

    private MlpTrainer(MultiLayerNetwork net, Engine<?> engine) {
        this.net = net;
        this.engine = engine;
    }

    /** Why {@code net} cannot be trained by this trainer; empty when it can. */
    public static Optional<String> unsupported(MultiLayerNetwork net) {
        if (!Nd4j.getEnvironment().isCPU()) {
            return Optional.of("ND4J runs on a GPU backend (the flat kernels are CPU loops)");
        }
        MlpLayout.Result layout = MlpLayout.read(net);
        if (layout.unsupported() != null) {
            return Optional.of(layout.unsupported());
        }
        return Optional.ofNullable(NetworkUpdater.unsupported(net));
    }

    /** A trainer for {@code net}; refuses, with the reason, a network {@link #unsupported} names. */
    public static MlpTrainer of(MultiLayerNetwork net) {
        unsupported(net).ifPresent(reason -> {
            throw new IllegalArgumentException("the MLP trainer cannot train this network: " + reason);
        });
        MlpLayout layout = MlpLayout.read(net).layout();
        Engine<?> engine = layout.dataType() == DataType.FLOAT
                ? new Engine<>(new FloatKernels(), net, layout)
                : new Engine<>(new DoubleKernels(), net, layout);
        return new MlpTrainer(net, engine);
    }

    /** One optimizer step on the batch mean loss of ({@code features}, {@code labels}); answers it, with any regularization term. */
    public double step(INDArray features, INDArray labels) {
        double loss = engine.step(features, labels);
        net.setScore(loss);
        return loss;
    }

    /** The batch mean loss and its gradient in {@code net.params()} order at the current parameters (no update). */
    public double lossAndGradient(INDArray features, INDArray labels, double[] gradient) {
        return engine.lossAndGradient(features, labels, gradient);
    }

    /** The network's output ({@code [n, classes]}, as {@code net.output}) without dropout. */
    public INDArray output(INDArray features) {
        return engine.output(features);
    }

    public MultiLayerNetwork network() {
        return net;
    }

    private static final class Engine<B extends Buffer> {
        private final FlatKernels<B> kernels;
        private final MultiLayerNetwork net;
        private final MlpLayout layout;
        private final MlpPass<B> pass;
        private final NetworkUpdater<B> updater;
        private final B gradient;
        private INDArray paramsArray;
        private B params;
        private double[] labelRows = new double[0];

        Engine(FlatKernels<B> kernels, MultiLayerNetwork net, MlpLayout layout) {
            this.kernels = kernels;
            this.net = net;
            this.layout = layout;
            this.pass = new MlpPass<>(kernels, layout);
            this.updater = NetworkUpdater.of(kernels, net);
            this.gradient = kernels.allocate(Math.toIntExact(net.numParams()));
        }

        double step(INDArray features, INDArray labels) {
            double loss = lossAndGradient(features, labels) + updater.penalty(net.params());
            updater.apply(params, gradient);
            return loss;
        }

        double lossAndGradient(INDArray features, INDArray labels, double[] out) {
            double loss = lossAndGradient(features, labels);
            kernels.toDoubles(gradient, 0, out, Math.toIntExact(net.numParams()));
            return loss;
        }

        private double lossAndGradient(INDArray features, INDArray labels) {
            int n = rows(features, labels);
            INDArray x = FlatArrays.dense(features, layout.dataType());
            INDArray y = labels.castTo(DataType.DOUBLE);
            int columns = layout.loss().labelColumns();
            if (labelRows.length < n * columns) {
                labelRows = new double[n * columns];
            }
            System.arraycopy(y.reshape('c', new long[] {(long) n * columns}).toDoubleVector(), 0, labelRows, 0, n * columns);
            return pass.lossAndGradient(currentParams(), kernels.view(x), labelRows, n, gradient, true);
        }

        INDArray output(INDArray features) {
            if (features.rank() != 2 || features.size(1) != layout.inputs()) {
                throw new IllegalArgumentException("features must be [n, " + layout.inputs() + "], got "
                        + Arrays.toString(features.shape()));
            }
            int n = Math.toIntExact(features.size(0));
            INDArray x = FlatArrays.dense(features, layout.dataType());
            double[] out = pass.output(currentParams(), kernels.view(x), n);
            return Nd4j.create(out, new long[] {n, out.length / Math.max(1, n)}, DataType.DOUBLE)
                    .castTo(layout.dataType());
        }

        /** The network's parameter memory; found again if DL4J replaced the flattened array. */
        private B currentParams() {
            INDArray now = net.params();
            if (now != paramsArray) {
                paramsArray = now;
                params = kernels.view(now);
            }
            return params;
        }

        private int rows(INDArray features, INDArray labels) {
            int columns = layout.loss().labelColumns();
            if (features.rank() != 2 || features.size(1) != layout.inputs() || labels.rank() != 2
                    || labels.size(1) != columns || features.size(0) != labels.size(0) || features.size(0) == 0) {
                throw new IllegalArgumentException("need features [n, " + layout.inputs() + "] and labels [n, "
                        + columns + "] with n ≥ 1, got " + Arrays.toString(features.shape()) + " and "
                        + Arrays.toString(labels.shape()));
            }
            return Math.toIntExact(features.size(0));
        }
    }
}
