package io.distillmesh.core.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A DL4J model file (ModelSerializer's zip) of either kind the project writes: a MultiLayerNetwork (MLPs, CNNs) or a
 * ComputationGraph (the residual family). The kind is read from the configuration stored in the file, so a file is
 * restored once, and a file of neither kind is refused with an error naming it and the problem.
 */
public final class ModelFile {
    private static final String CONFIGURATION = "configuration.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a model file holds. */
    public enum Kind {
        LAYERS, GRAPH
    }

    private ModelFile() {
    }

    public static Kind kind(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": model file not found");
        }
        String json;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(CONFIGURATION);
            if (entry == null) {
                throw new IllegalArgumentException(file + ": not a DL4J model file (the zip has no " + CONFIGURATION + ")");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (ZipException e) {
            throw new IllegalArgumentException(file + ": not a DL4J model file (not a zip: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the model file: " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": its " + CONFIGURATION + " is not JSON: " + e.getMessage(), e);
        }
        if (root != null && root.has("vertices") && root.has("networkInputs")) {
            return Kind.GRAPH;
        }
        if (root != null && root.has("confs")) {
            return Kind.LAYERS;
        }
        throw new IllegalArgumentException(file + ": its " + CONFIGURATION
                + " describes neither a MultiLayerNetwork nor a ComputationGraph");
    }

    /** The network in {@code file}, with its updater state when {@code withUpdater}. */
    public static Model load(Path file, boolean withUpdater) {
        Kind kind = kind(file);
        try {
            return kind == Kind.GRAPH ? ModelSerializer.restoreComputationGraph(file.toFile(), withUpdater)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), withUpdater);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot restore the " + (kind == Kind.GRAPH
                    ? "ComputationGraph" : "MultiLayerNetwork") + " it holds: " + e.getMessage(), e);
        }
    }
}
