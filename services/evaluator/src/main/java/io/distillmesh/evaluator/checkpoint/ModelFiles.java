package io.distillmesh.evaluator.checkpoint;

import io.distillmesh.core.engine.NetworkLogits;
import io.distillmesh.core.model.LogitsModel;
import io.distillmesh.core.model.ResidualLogits;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads a DL4J model file for testing (without its updater state): a MultiLayerNetwork (MLP and CNN students),
 * or a ComputationGraph of the project's residual family (ResNet and FSP students).
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** A MultiLayerNetwork model file (the pretrained models a distilled set starts from). */
    public static MultiLayerNetwork layerNetwork(Path file) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a DL4J MultiLayerNetwork model file: " + e.getMessage(), e);
        }
    }

    /** Any model file a student writes, as its logits. */
    public static LogitsModel load(Path file) {
        RuntimeException notLayers;
        try {
            return NetworkLogits.of(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the model file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            notLayers = e;
        }
        try {
            return new ResidualLogits(ModelSerializer.restoreComputationGraph(file.toFile(), false));
        } catch (IOException | RuntimeException e) {
            IllegalArgumentException refused = new IllegalArgumentException(file + ": not a DL4J model file this "
                    + "evaluator can test (a MultiLayerNetwork, or a ComputationGraph of the residual family): "
                    + notLayers.getMessage() + "; as a graph: " + e.getMessage(), e);
            refused.addSuppressed(notLayers);
            throw refused;
        }
    }
}
