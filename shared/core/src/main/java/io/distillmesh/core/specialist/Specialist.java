package io.distillmesh.core.specialist;

import io.distillmesh.core.loss.TemperatureSoftmax;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A trained specialist: its classes (indices into the generalist's) and its network, whose last output is the dustbin. */
public record Specialist(int[] classes, MultiLayerNetwork network) {
    public Specialist {
        classes = classes.clone();
    }

    /** Its distributions over {@code classes} + dustbin for a batch of flat inputs, {@code [n][classes + 1]}. */
    public double[][] opinions(INDArray inputs) {
        return TemperatureSoftmax.softmax(network.output(inputs, false), 1.0).toDoubleMatrix();
    }
}
