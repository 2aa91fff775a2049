package io.distillmesh.core.model;

import io.distillmesh.core.engine.GraphLogits;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Logits of a residual network of {@link ResidualNetworks} (a DL4J ComputationGraph): by the engine's forward pass
 * where it reads the graph, else by DL4J's feed-forward.
 */
public final class ResidualLogits implements LogitsModel {
    private final ComputationGraph graph;
    private final GraphLogits engine;

    public ResidualLogits(ComputationGraph graph) {
        if (graph.getVertex(ResidualNetworks.POOL) == null || graph.getLayer(ResidualNetworks.OUTPUT) == null) {
            throw new IllegalArgumentException("not a residual network of this project: it needs the vertices '"
                    + ResidualNetworks.POOL + "' and '" + ResidualNetworks.OUTPUT + "'");
        }
        this.graph = graph;
        this.engine = GraphLogits.of(graph).orElse(null);
    }

    public ComputationGraph graph() {
        return graph;
    }

    /** Which forward pass computes the logits: {@code engine} or {@code dl4j}. */
    public String path() {
        return engine != null ? "engine" : "dl4j";
    }

    @Override
    public INDArray logits(INDArray inputs) {
        return engine != null ? engine.logits(inputs) : ResidualNetworks.logits(graph, graph.feedForward(inputs, false));
    }
}
