package io.distillmesh.core.model;

import io.distillmesh.core.engine.NetworkLogits;
import io.distillmesh.core.loss.TemperatureSoftmax;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A trained classifier used as a teacher: its logits, and log-probabilities at any temperature. */
public final class TeacherModel implements LogitsModel {
    private final MultiLayerNetwork network;
    private final String id;
    private final NetworkLogits logits;

    public TeacherModel(MultiLayerNetwork network, String id) {
        this.network = network;
        this.id = id;
        this.logits = NetworkLogits.of(network);
    }

    public static TeacherModel load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": teacher model file not found");
        }
        try {
            return new TeacherModel(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false),
                    file.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a DL4J model file: " + e.getMessage(), e);
        }
    }

    public String id() {
        return id;
    }

    public MultiLayerNetwork network() {
        return network;
    }

    /** The output layer's pre-activation z for a batch of flat inputs. */
    @Override
    public INDArray logits(INDArray inputs) {
        return logits.logits(inputs);
    }

    public INDArray logProbs(INDArray inputs, double temperature) {
        return TemperatureSoftmax.logSoftmax(logits(inputs), temperature);
    }
}
