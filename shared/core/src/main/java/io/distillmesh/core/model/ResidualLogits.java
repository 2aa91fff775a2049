package io.distillmesh.core.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Logits of a residual network of {@link ResidualNetworks} (a DL4J ComputationGraph). */
public record ResidualLogits(ComputationGraph graph) implements LogitsModel {
    public ResidualLogits {
        if (graph.getVertex(ResidualNetworks.POOL) == null || graph.getLayer(ResidualNetworks.OUTPUT) == null) {
            throw new IllegalArgumentException("not a residual network of this project: it needs the vertices '"
                    + ResidualNetworks.POOL + "' and '" + ResidualNetworks.OUTPUT + "'");
        }
    }

    @Override
    public INDArray logits(INDArray inputs) {
        return ResidualNetworks.logits(graph, graph.feedForward(inputs, false));
    }
}
