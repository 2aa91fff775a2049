package io.distillmesh.core.fsp;

import io.distillmesh.core.engine.GraphLogits;
import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.loss.TemperatureSoftmax;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ResidualNetworks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained residual network used as a teacher: its log-probabilities at T and its FSP matrices, from one inference
 * pass of the engine (of DL4J's feed-forward where the engine cannot read the graph or lacks a vertex asked for).
 */
public final class ResidualTeacher {
    private final ComputationGraph network;
    private final String id;
    private final GraphLogits engine;

    public ResidualTeacher(ComputationGraph network, String id) {
        if (network.getVertex("pool") == null || network.getLayer(ResidualNetworks.OUTPUT) == null) {
            throw new IllegalArgumentException(id + ": not a residual classifier (no 'pool' and 'output' vertices)");
        }
        this.network = network;
        this.id = id;
        this.engine = GraphLogits.of(network).orElse(null);
    }

    public static ResidualTeacher load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": teacher model file not found");
        }
        try {
            return new ResidualTeacher(ModelSerializer.restoreComputationGraph(file.toFile(), false),
                    file.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a DL4J computation graph: " + e.getMessage(), e);
        }
    }

    public String id() {
        return id;
    }

    public ComputationGraph network() {
        return network;
    }

    /** Refuses pairs this teacher cannot make FSP matrices of, with the reason (one forward pass of a blank image). */
    public void requirePairs(List<FspPair> pairs) {
        for (FspPair pair : pairs) {
            for (String vertex : new String[]{pair.first(), pair.second()}) {
                if (network.getVertex(vertex) == null) {
                    throw new IllegalArgumentException("teacher " + id + " has no layer '" + vertex + "' (FSP pair "
                            + pair + ")");
                }
            }
        }
        forward(Nd4j.zeros(DataType.FLOAT, 1, ModelSpec.INPUT_FEATURES), 1.0, pairs);
    }

    /** One forward pass: log-probabilities at {@code temperature} and one {@code [n, c1, c2]} FSP matrix per pair. */
    public Outputs forward(INDArray inputs, double temperature, List<FspPair> pairs) {
        List<String> names = new ArrayList<>();
        for (FspPair pair : pairs) {
            names.add(pair.first());
            names.add(pair.second());
        }
        INDArray logits;
        Map<String, INDArray> activations = new HashMap<>();
        boolean byEngine = engine != null && names.stream().allMatch(engine::hasVertex);
        if (byEngine) {
            INDArray[] outputs = engine.logitsAndVertices(inputs, names);
            logits = outputs[0];
            for (int k = 0; k < names.size(); k++) {
                activations.put(names.get(k), outputs[k + 1]);
            }
        } else {
            activations = network.feedForward(inputs, false);
            logits = ResidualNetworks.logits(network, activations);
        }
        List<INDArray> matrices = new ArrayList<>();
        for (FspPair pair : pairs) {
            INDArray first = activations.get(pair.first());
            INDArray second = activations.get(pair.second());
            if (first == null || second == null) {
                throw new IllegalArgumentException("teacher " + id + " has no feature map for FSP pair " + pair);
            }
            try {
                matrices.add(FspMatrix.compute(first, second));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("FSP pair " + pair + " of teacher " + id + ": " + e.getMessage(), e);
            }
        }
        INDArray logProbs = TemperatureSoftmax.logSoftmax(logits, temperature);
        if (byEngine) {
            activations.values().forEach(OffHeap::release);
            OffHeap.release(logits);
        }
        return new Outputs(logProbs, matrices);
    }

    public record Outputs(INDArray logProbs, List<INDArray> fspMatrices) {
    }
}
