package io.distillmesh.core.specialist;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.NetworkLogits;
import io.distillmesh.core.eval.LogitBatches;
import io.distillmesh.core.loss.TemperatureSoftmax;
import io.distillmesh.core.model.LogitsModel;
import io.distillmesh.core.model.ResidualLogits;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained specialist: its classes (indices into the generalist's) and its network (a MultiLayerNetwork or a
 * residual ComputationGraph, as its generalist), whose last output is the dustbin.
 */
public final class Specialist {
    private final int[] classes;
    private final Model network;
    private final LogitsModel logits;

    public Specialist(int[] classes, Model network) {
        this.classes = classes.clone();
        this.network = network;
        this.logits = network instanceof ComputationGraph graph ? new ResidualLogits(graph)
                : NetworkLogits.of((MultiLayerNetwork) network);
    }

    public int[] classes() {
        return classes.clone();
    }

    public Model network() {
        return network;
    }

    /** Its distributions over {@code classes} + dustbin for a batch of flat inputs, {@code [n][classes + 1]}. */
    public double[][] opinions(INDArray inputs) {
        return TemperatureSoftmax.softmax(logits.logits(inputs), 1.0).toDoubleMatrix();
    }

    /** Its distributions for every image of {@code data}, in order, a batch of {@code batchSize} at a time. */
    public double[][] opinions(LabelledImages data, int batchSize) {
        return LogitBatches.probabilities(data, logits, batchSize);
    }
}
