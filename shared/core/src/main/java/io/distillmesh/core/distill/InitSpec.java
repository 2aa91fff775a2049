package io.distillmesh.core.distill;

import io.distillmesh.core.model.ModelSpec;
import java.util.List;
import java.util.Set;

/**
 * Everything needed to rebuild the θ_0 a distilled set was made for: the network (a {@link ModelSpec};
 * its seed is always this spec's seed), the init mode, the seed from which every random init is
 * derived, how many inits each meta-iteration averages over, references to the pretrained parameter
 * vectors (pretrained modes only), and the working precision ({@code FLOAT} or {@code DOUBLE}).
 * Plain fields; {@code core.artifact.InitSpecJson} writes and reads it inside every distilled-set artifact.
 */
public record InitSpec(ModelSpec network, InitMode mode, long seed, int modelsPerIteration, List<String> pretrained,
                       String dataType) {
    public static final Set<String> DATA_TYPES = Set.of("FLOAT", "DOUBLE");

    public InitSpec {
        if (network == null) {
            throw new IllegalArgumentException("init spec needs a network");
        }
        if (network.dropout() != 0) {
            throw new IllegalArgumentException("network " + network.describe() + " uses dropout " + network.dropout()
                    + ": dataset distillation needs a deterministic network");
        }
        if (mode == null) {
            throw new IllegalArgumentException("init mode is required, known: " + List.of(InitMode.values()));
        }
        if (modelsPerIteration < 1) {
            throw new IllegalArgumentException("models per iteration must be at least 1, got " + modelsPerIteration);
        }
        if (modelsPerIteration > 1 && !mode.resampled()) {
            throw new IllegalArgumentException("averaging over " + modelsPerIteration + " inits per iteration needs a "
                    + "random init mode (random or random-pretrained), not " + mode.label());
        }
        pretrained = pretrained == null ? List.of() : List.copyOf(pretrained);
        if (mode.pretrained() && pretrained.isEmpty()) {
            throw new IllegalArgumentException("init mode " + mode.label() + " needs at least one pretrained model reference");
        }
        if (!mode.pretrained() && !pretrained.isEmpty()) {
            throw new IllegalArgumentException("init mode " + mode.label() + " draws from the network's init "
                    + "distribution; pretrained references " + pretrained + " would be ignored");
        }
        if (dataType == null || !DATA_TYPES.contains(dataType)) {
            throw new IllegalArgumentException("data type must be one of " + DATA_TYPES + ", got " + dataType);
        }
        network = network.withSeed(seed);
    }

    public static InitSpec fixed(ModelSpec network, long seed) {
        return new InitSpec(network, InitMode.FIXED, seed, 1, List.of(), "FLOAT");
    }

    public static InitSpec random(ModelSpec network, long seed, int modelsPerIteration) {
        return new InitSpec(network, InitMode.RANDOM, seed, modelsPerIteration, List.of(), "FLOAT");
    }

    public InitSpec withDataType(String type) {
        return new InitSpec(network, mode, seed, modelsPerIteration, pretrained, type);
    }

    public InitSpec withPretrained(InitMode pretrainedMode, List<String> references, int models) {
        return new InitSpec(network, pretrainedMode, seed, models, references, dataType);
    }

    public String describe() {
        return mode.label() + " init of " + network.describe() + " (seed " + seed
                + (modelsPerIteration > 1 ? ", " + modelsPerIteration + " per iteration" : "")
                + (pretrained.isEmpty() ? "" : ", pool of " + pretrained.size()) + ")";
    }
}
