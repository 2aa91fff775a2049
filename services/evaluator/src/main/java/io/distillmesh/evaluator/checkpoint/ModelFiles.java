package io.distillmesh.evaluator.checkpoint;

import io.distillmesh.core.engine.NetworkLogits;
import io.distillmesh.core.model.LogitsModel;
import io.distillmesh.core.model.ModelFile;
import io.distillmesh.core.model.ResidualLogits;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
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
        Model network = ModelFile.load(file, false);
        try {
            return network instanceof ComputationGraph residual ? new ResidualLogits(residual)
                    : NetworkLogits.of((MultiLayerNetwork) network);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
