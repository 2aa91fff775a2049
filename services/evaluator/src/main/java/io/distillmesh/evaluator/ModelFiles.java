package io.distillmesh.evaluator;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Path;

/** Loads a DL4J model file for testing (without its updater state). */
final class ModelFiles {
    private ModelFiles() {
    }

    static MultiLayerNetwork load(Path file) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a DL4J MultiLayerNetwork model file: " + e.getMessage(), e);
        }
    }
}
