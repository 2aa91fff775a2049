package io.distillmesh.core.engine;

import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a DL4J computation graph of the kind {@link GraphLayout} reads (the project's residual networks) instead of
 * {@code fit}: the engine's layer passes on libnd4j's kernels for the gradient, the network's own optimizer (its
 * Adam moments, its iteration count) for the update, parameters changed in place.
 */
public final class GraphTrainer {
    private final ComputationGraph graph;
    private final GraphPass pass;
    private final NetworkUpdater<?> update;
    private final INDArray gradient;

    private GraphTrainer(ComputationGraph graph, GraphPass pass, NetworkUpdater<?> update) {
        this.graph = graph;
        this.pass = pass;
        this.update = update;
        this.gradient = Nd4j.create(graph.params().dataType(), graph.numParams());
    }

    /** Why {@code graph} cannot be trained by this trainer; empty when it can. */
    public static Optional<String> unsupported(ComputationGraph graph) {
        if (!Nd4j.getEnvironment().isCPU()) {
            return Optional.of("ND4J runs on a GPU backend");
        }
        DataType dataType = graph.params().dataType();
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            return Optional.of("parameters are " + dataType + " (float or double only)");
        }
        GraphLayout.Result layout = GraphLayout.read(graph);
        if (layout.pass() == null) {
            return Optional.of(layout.unsupported());
        }
        return Optional.ofNullable(NetworkUpdater.unsupported(graph));
    }

    /** A trainer for {@code graph}; refuses, with the reason, a graph {@link #unsupported} names. */
    public static GraphTrainer of(ComputationGraph graph) {
        unsupported(graph).ifPresent(reason -> {
            throw new IllegalArgumentException("the engine cannot train this computation graph: " + reason);
        });
        NetworkUpdater<?> update = graph.params().dataType() == DataType.FLOAT
                ? NetworkUpdater.of(new FloatKernels(), graph) : NetworkUpdater.of(new DoubleKernels(), graph);
        return new GraphTrainer(graph, GraphLayout.read(graph).pass(), update);
    }

    /** One optimizer step on the batch mean loss of ({@code features}, {@code labels}); answers it, with any regularization term. */
    public double step(INDArray features, INDArray labels) {
        return step(features, new INDArray[]{labels});
    }

    /** As {@link #step(INDArray, INDArray)} for a graph with several outputs: one labels array per output, in order. */
    public double step(INDArray features, INDArray[] labels) {
        double loss = lossAndGradient(features, labels, gradient) + update.penalty(graph.params());
        update.apply(graph.params(), gradient);
        graph.setScore(loss);
        return loss;
    }

    /** The batch mean loss at the current parameters; its gradient written into {@code into} (the params' layout). */
    public double lossAndGradient(INDArray features, INDArray labels, INDArray into) {
        return lossAndGradient(features, new INDArray[]{labels}, into);
    }

    /** As {@link #lossAndGradient(INDArray, INDArray, INDArray)} for a graph with several outputs; their losses summed. */
    public double lossAndGradient(INDArray features, INDArray[] labels, INDArray into) {
        // a workspace, not fresh arrays each step: glibc does not give freed activations back (3 GB for a ResNet-8)
        try (MemoryWorkspace ignored = PassWorkspace.GRAPH.open()) {
            return pass.lossAndGradient(graph.params(), features, labels, into);
        }
    }

    /** The first output layer's pre-activations. */
    public INDArray logits(INDArray features) {
        return pass.logits(graph.params(), features);
    }

    public ComputationGraph network() {
        return graph;
    }
}
