package io.distillmesh.core.artifact;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.distillmesh.core.distill.InitMode;
import io.distillmesh.core.distill.InitSpec;
import io.distillmesh.core.model.ModelSpec;
import java.util.Arrays;
import java.util.List;

/**
 * The fields of an {@link InitSpec} as they stand in its JSON, version 1 ({@link InitSpecJson}). The network's
 * seed is the spec's seed and its dropout is always 0, so the network part carries neither.
 */
@JsonPropertyOrder({"format", "version", "network", "mode", "seed", "modelsPerIteration", "pretrained", "dataType"})
record InitSpecDocument(String format, int version, Network network, String mode, long seed, int modelsPerIteration,
                        @JsonSetter(contentNulls = Nulls.FAIL) List<String> pretrained, String dataType) {

    @JsonPropertyOrder({"architecture", "hidden", "channels", "numClasses", "learningRate"})
    record Network(String architecture, int[] hidden, int[] channels, int numClasses, double learningRate) {
    }

    static InitSpecDocument of(InitSpec spec) {
        ModelSpec n = spec.network();
        return new InitSpecDocument(InitSpecJson.FORMAT, InitSpecJson.VERSION,
                new Network(n.architecture().name(), n.hidden(), n.channels(), n.numClasses(), n.learningRate()),
                spec.mode().name(), spec.seed(), spec.modelsPerIteration(), spec.pretrained(), spec.dataType());
    }

    InitSpec toSpec() {
        ModelSpec net = new ModelSpec(architecture(network.architecture), network.hidden, network.channels, 0,
                network.learningRate, seed, network.numClasses);
        return new InitSpec(net, InitMode.parse(mode), seed, modelsPerIteration, pretrained, dataType);
    }

    private static ModelSpec.Architecture architecture(String name) {
        try {
            return ModelSpec.Architecture.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown architecture '" + name + "', known: "
                    + Arrays.toString(ModelSpec.Architecture.values()));
        }
    }
}
