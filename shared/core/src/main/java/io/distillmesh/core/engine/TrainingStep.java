package io.distillmesh.core.engine;

import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One optimizer step of a network on a batch, by the fastest path that trains it: the engine's
 * {@link MlpTrainer} for dense networks, its {@link ConvNetTrainer} for the convolutional networks its layer passes
 * cover, DL4J's {@code fit} for the rest (announced once, with the reasons, in the log). Every trainer of the mesh
 * steps its networks through this.
 */
public final class TrainingStep {
    /** {@link #path()} of a dense network the engine trains. */
    public static final String ENGINE = "engine";
    /** {@link #path()} of a convolutional network the engine trains. */
    public static final String ENGINE_CONV = "engine (convolutional)";
    private static final Logger LOG = LoggerFactory.getLogger(TrainingStep.class);

    private final MultiLayerNetwork net;
    private final MlpTrainer dense;
    private final ConvNetTrainer convolutional;
    private final String path;

    private TrainingStep(MultiLayerNetwork net, MlpTrainer dense, ConvNetTrainer convolutional, String path) {
        this.net = net;
        this.dense = dense;
        this.convolutional = convolutional;
        this.path = path;
    }

    /**
     * The engine where it can train {@code net}, else DL4J's {@code fit}; always {@code fit} when this process is
     * set to {@link TrainingPath#DL4J}. {@code what} names the network in the log.
     */
    public static TrainingStep of(MultiLayerNetwork net, String what) {
        if (TrainingPath.configured() == TrainingPath.DL4J) {
            return dl4j(net, "set to dl4j by " + TrainingPath.PROPERTY + " / " + TrainingPath.VARIABLE);
        }
        Optional<String> notDense = MlpTrainer.unsupported(net);
        if (notDense.isEmpty()) {
            return new TrainingStep(net, MlpTrainer.of(net), null, ENGINE);
        }
        Optional<String> notConvolutional = ConvNetTrainer.unsupported(net);
        if (notConvolutional.isEmpty()) {
            return new TrainingStep(net, null, ConvNetTrainer.of(net), ENGINE_CONV);
        }
        String why = "as a dense network: " + notDense.get() + "; as a convolutional one: " + notConvolutional.get();
        LOG.info("{} trains with DL4J's fit, not the engine ({})", what, why);
        return dl4j(net, why);
    }

    /** Always DL4J's {@code fit} (the reference the engine is measured against). */
    public static TrainingStep dl4j(MultiLayerNetwork net, String why) {
        return new TrainingStep(net, null, null, "dl4j (" + why + ")");
    }

    /** One step on the batch mean loss; answers that loss. */
    public double step(INDArray features, INDArray labels) {
        if (dense != null) {
            return dense.step(features, labels);
        }
        if (convolutional != null) {
            return convolutional.step(features, labels);
        }
        net.fit(new DataSet(features, labels));
        return net.score();
    }

    /** {@value #ENGINE}, {@value #ENGINE_CONV}, or {@code dl4j (why)}. */
    public String path() {
        return path;
    }

    public MultiLayerNetwork network() {
        return net;
    }
}
