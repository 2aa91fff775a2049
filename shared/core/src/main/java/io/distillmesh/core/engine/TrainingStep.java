package io.distillmesh.core.engine;

import io.distillmesh.core.model.InstanceNormalization;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One optimizer step of a network on a batch, by the fastest path that trains it: the engine's
 * {@link MlpTrainer} for dense networks, its {@link ConvNetTrainer} for the convolutional networks its layer passes
 * cover, its {@link GraphTrainer} for the residual networks, DL4J's {@code fit} for the rest (announced once, with the reasons, in the log). Every trainer of the mesh
 * steps its networks through this.
 */
public final class TrainingStep {
    /** {@link #path()} of a dense network the engine trains. */
    public static final String ENGINE = "engine";
    /** {@link #path()} of a convolutional network the engine trains. */
    public static final String ENGINE_CONV = "engine (convolutional)";
    /** {@link #path()} of a computation graph (a residual network) the engine trains. */
    public static final String ENGINE_GRAPH = "engine (graph)";
    private static final Logger LOG = LoggerFactory.getLogger(TrainingStep.class);

    /** One step on a batch (labels for each of the network's outputs), answering its mean loss. */
    private interface Step {
        double on(INDArray features, INDArray[] labels);
    }

    private final Model network;
    private final Step step;
    private final String path;

    private TrainingStep(Model network, Step step, String path) {
        this.network = network;
        this.step = step;
        this.path = path;
    }

    /**
     * The engine where it can train {@code net}, else DL4J's {@code fit}; always {@code fit} when this process is
     * set to {@link TrainingPath#DL4J}. {@code what} names the network in the log.
     */
    public static TrainingStep of(MultiLayerNetwork net, String what) {
        if (TrainingPath.configured() == TrainingPath.DL4J) {
            return dl4j(net, configuredReason());
        }
        Optional<String> notDense = MlpTrainer.unsupported(net);
        if (notDense.isEmpty()) {
            MlpTrainer trainer = MlpTrainer.of(net);
            return new TrainingStep(net, (x, y) -> trainer.step(x, only(y)), ENGINE);
        }
        Optional<String> notConvolutional = ConvNetTrainer.unsupported(net);
        if (notConvolutional.isEmpty()) {
            ConvNetTrainer trainer = ConvNetTrainer.of(net);
            return new TrainingStep(net, (x, y) -> trainer.step(x, only(y)), ENGINE_CONV);
        }
        String why = "as a dense network: " + notDense.get() + "; as a convolutional one: " + notConvolutional.get();
        LOG.info("{} trains with DL4J's fit, not the engine ({})", what, why);
        return dl4j(net, why);
    }

    /**
     * As {@link #of(MultiLayerNetwork, String)} for a computation graph (the residual networks, FSP's stage-one
     * graph with one output per layer pair).
     */
    public static TrainingStep of(ComputationGraph graph, String what) {
        if (TrainingPath.configured() == TrainingPath.DL4J) {
            return dl4j(graph, configuredReason());
        }
        Optional<String> unsupported = GraphTrainer.unsupported(graph);
        if (unsupported.isEmpty()) {
            GraphTrainer trainer = GraphTrainer.of(graph);
            return new TrainingStep(graph, trainer::step, ENGINE_GRAPH);
        }
        LOG.info("{} trains with DL4J's fit, not the engine ({})", what, unsupported.get());
        return dl4j(graph, unsupported.get());
    }

    /** Either of the above, by the kind of {@code network}. */
    public static TrainingStep of(Model network, String what) {
        if (network instanceof ComputationGraph graph) {
            return of(graph, what);
        }
        if (network instanceof MultiLayerNetwork net) {
            return of(net, what);
        }
        throw new IllegalArgumentException(what + " is neither a MultiLayerNetwork nor a ComputationGraph");
    }

    /**
     * Always DL4J's {@code fit} (the reference the engine is measured against). Refused for a network with instance
     * normalisation: DL4J 1.0.0-M2.1 backpropagates that (SameDiff) layer with twice its gradient (a test shows it),
     * so only the engine trains it correctly.
     */
    public static TrainingStep dl4j(MultiLayerNetwork net, String why) {
        for (NeuralNetConfiguration conf : net.getLayerWiseConfigurations().getConfs()) {
            if (conf.getLayer() instanceof InstanceNormalization) {
                throw new IllegalArgumentException("DL4J's fit cannot train this network (" + why + "): DL4J "
                        + "1.0.0-M2.1 backpropagates its instance normalisation with twice the gradient; the engine "
                        + "trains it (on a CPU backend with oneDNN, and with " + TrainingPath.PROPERTY + " unset or engine)");
            }
        }
        return new TrainingStep(net, (x, y) -> {
            net.fit(new DataSet(x, only(y)));
            return net.score();
        }, "dl4j (" + why + ")");
    }

    /** Always DL4J's {@code fit} for a computation graph. */
    public static TrainingStep dl4j(ComputationGraph graph, String why) {
        return new TrainingStep(graph, (x, y) -> {
            graph.fit(new INDArray[]{x}, y);
            return graph.score();
        }, "dl4j (" + why + ")");
    }

    private static String configuredReason() {
        return "set to dl4j by " + TrainingPath.PROPERTY + " / " + TrainingPath.VARIABLE;
    }

    /** One step on the batch mean loss; answers that loss. */
    public double step(INDArray features, INDArray labels) {
        return step.on(features, new INDArray[]{labels});
    }

    /** One step of a network with several outputs, one labels array for each; answers the summed mean loss. */
    public double step(INDArray features, INDArray[] labels) {
        return step.on(features, labels);
    }

    private static INDArray only(INDArray[] labels) {
        if (labels.length != 1) {
            throw new IllegalArgumentException("the network has one output, got labels for " + labels.length);
        }
        return labels[0];
    }

    /** {@value #ENGINE}, {@value #ENGINE_CONV}, {@value #ENGINE_GRAPH}, or {@code dl4j (why)}. */
    public String path() {
        return path;
    }

    public Model network() {
        return network;
    }
}
