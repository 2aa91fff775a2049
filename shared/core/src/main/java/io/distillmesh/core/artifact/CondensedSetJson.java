package io.distillmesh.core.artifact;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillmesh.core.condense.TrainingRecipe;
import io.distillmesh.core.model.ModelSpec;

/**
 * What a condensed set says about itself, as JSON version 2: the network it was condensed with and the recipe a
 * network must be trained by on it ({@link TrainingRecipe}), including its augmentation. Version 1 (no augmentation
 * field) is still read, as a recipe without augmentation.
 * <pre>
 * {"format":"distill-mesh/condensed-set","version":2,
 *  "network":{"architecture":"CONVNET","hidden":[],"channels":[32,32,32],"numClasses":10,"learningRate":0.001},
 *  "seed":1,"recipe":{"epochs":300,"batchSize":256,"learningRate":0.01,"momentum":0.9,"weightDecay":5.0E-4,
 *  "decayAt":0.5,"decayFactor":0.1,"augmentation":{"operations":["CROP","SCALE","ROTATE","FLIP","CUTOUT"]}}}
 * </pre>
 */
final class CondensedSetJson {
    static final String FORMAT = "distill-mesh/condensed-set";
    static final int VERSION = 2;
    static final int FIRST_VERSION = 1;

    @JsonPropertyOrder({"format", "version", "network", "seed", "recipe"})
    record Document(String format, int version, InitSpecDocument.Network network, long seed, TrainingRecipe recipe) {
    }

    /** The network and recipe read back. */
    record Read(ModelSpec network, TrainingRecipe recipe) {
    }

    private CondensedSetJson() {
    }

    static String write(ModelSpec network, TrainingRecipe recipe) {
        Document d = new Document(FORMAT, VERSION, new InitSpecDocument.Network(network.architecture().name(),
                network.hidden(), network.channels(), network.numClasses(), network.learningRate()), network.seed(),
                recipe);
        try {
            return StrictJson.MAPPER.writeValueAsString(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the condensed set's spec", e);
        }
    }

    static Read read(String json) {
        try {
            JsonNode root = StrictJson.MAPPER.readTree(json);
            if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").textValue())) {
                throw new IllegalArgumentException("not a condensed-set spec: format is "
                        + (root == null ? "missing" : root.path("format")) + ", expected " + FORMAT);
            }
            JsonNode version = root.path("version");
            if (!version.isIntegralNumber() || version.intValue() < FIRST_VERSION || version.intValue() > VERSION) {
                throw new IllegalArgumentException("unknown condensed-set spec version " + version
                        + " (this reader knows " + FIRST_VERSION + " to " + VERSION + ")");
            }
            if (version.intValue() == FIRST_VERSION && root.path("recipe") instanceof ObjectNode recipe) {
                if (recipe.has("augmentation")) {
                    throw new IllegalArgumentException("a version 1 condensed-set spec has no augmentation in its recipe");
                }
                recipe.putObject("augmentation").putArray("operations");
            }
            Document d = StrictJson.MAPPER.treeToValue(root, Document.class);
            if (d.network() == null || d.recipe() == null) {
                throw new IllegalArgumentException("condensed-set spec needs a network and a recipe");
            }
            InitSpecDocument.Network n = d.network();
            ModelSpec network = new ModelSpec(ModelSpec.Architecture.valueOf(n.architecture()), n.hidden(),
                    n.channels(), 0, n.learningRate(), d.seed(), n.numClasses());
            return new Read(network, d.recipe());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("condensed-set spec is not valid: " + e.getOriginalMessage(), e);
        }
    }
}
