package io.distillmesh.core.engine;

import java.util.Optional;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a DL4J convolutional network of the kind the engine's layer passes cover (convolutions, max and average
 * pooling, instance normalisation, ReLU, dense layers, a softmax cross-entropy output; the shipped teacher's CNN,
 * LeNet, the condensation ConvNet) instead of
 * {@code fit}: the hand-written backprop on libnd4j's kernels for the gradient, the network's own optimizer
 * (its Adam moments, its iteration count) for the update, parameters changed in place.
 */
public final class ConvNetTrainer {
    private final MultiLayerNetwork net;
    private final LossGradients gradients;
    private final NetworkUpdater<?> update;

    private ConvNetTrainer(MultiLayerNetwork net, LossGradients gradients, NetworkUpdater<?> update) {
        this.net = net;
        this.gradients = gradients;
        this.update = update;
    }

    /** Why {@code net} cannot be trained by this trainer; empty when it can. */
    public static Optional<String> unsupported(MultiLayerNetwork net) {
        if (!Nd4j.getEnvironment().isCPU()) {
            return Optional.of("ND4J runs on a GPU backend");
        }
        DataType dataType = net.params().dataType();
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            return Optional.of("parameters are " + dataType + " (float or double only)");
        }
        Optional<SmallNetworkGradientEngine> engine = SmallNetworkGradientEngine.supporting(net);
        if (engine.isEmpty()) {
            return Optional.of("the layer passes do not cover it (convolution, max or average pooling, instance "
                    + "normalisation, ReLU, dense, softmax cross-entropy)");
        }
        if (!engine.get().fasterThanDl4j() && !engine.get().dl4jBackpropIsWrong()) {
            return Optional.of("ND4J's native library has no oneDNN kernels, with which DL4J's own layers are faster");
        }
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            String problem = LayerSettings.unsupported(i, conf.getConf(i).getLayer(), false);
            if (problem != null) {
                return Optional.of(problem);
            }
        }
        return Optional.ofNullable(NetworkUpdater.unsupported(net));
    }

    /** A trainer for {@code net}; refuses, with the reason, a network {@link #unsupported} names. */
    public static ConvNetTrainer of(MultiLayerNetwork net) {
        unsupported(net).ifPresent(reason -> {
            throw new IllegalArgumentException("the convolutional trainer cannot train this network: " + reason);
        });
        NetworkUpdater<?> update = net.params().dataType() == DataType.FLOAT
                ? NetworkUpdater.of(new FloatKernels(), net) : NetworkUpdater.of(new DoubleKernels(), net);
        return new ConvNetTrainer(net, LossGradients.forTraining(net), update);
    }

    /** One optimizer step on the batch mean loss of ({@code features}, {@code labels}); answers it, with any regularization term. */
    public double step(INDArray features, INDArray labels) {
        LossGradients.Scored scored = gradients.scored(net.params(), features, labels);
        double loss = scored.loss() + update.penalty(net.params());
        try {
            update.apply(net.params(), scored.params());
        } finally {
            OffHeap.release(scored.params());
        }
        net.setScore(loss);
        return loss;
    }
}
