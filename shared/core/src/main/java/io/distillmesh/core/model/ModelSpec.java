package io.distillmesh.core.model;

import java.util.Arrays;
import java.util.List;

/**
 * What network to build: architecture, hidden widths (MLP layers, or the CNN's dense layers),
 * convolution channels (CNN only), dropout probability (0 = none), Adam learning rate, seed.
 */
public record ModelSpec(Architecture architecture, int[] hidden, int[] channels, double dropout,
                        double learningRate, long seed, int numClasses) {
    public static final int INPUT_FEATURES = 784;

    public ModelSpec {
        if (architecture == null) {
            throw new IllegalArgumentException("architecture is required (mlp, cnn or convnet)");
        }
        if (hidden == null || Arrays.stream(hidden).anyMatch(h -> h <= 0)) {
            throw new IllegalArgumentException("hidden sizes must be positive, got " + Arrays.toString(hidden));
        }
        if (architecture == Architecture.CNN && (channels == null || channels.length != 2
                || channels[0] <= 0 || channels[1] <= 0)) {
            throw new IllegalArgumentException("a CNN needs two positive channel counts, got " + Arrays.toString(channels));
        }
        if (architecture == Architecture.CONVNET && (channels == null || channels.length == 0
                || Arrays.stream(channels).anyMatch(c -> c <= 0))) {
            throw new IllegalArgumentException("a ConvNet needs one positive width per block, got " + Arrays.toString(channels));
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + numClasses);
        }
    }

    /** The networks {@link #named} knows. */
    public static final List<String> NAMES = List.of("mlp", "lenet");

    /**
     * The network a command or job names: {@code mlp} with the given hidden widths, or {@code lenet} (whose layers
     * are fixed, {@code hidden} unused).
     */
    public static ModelSpec named(String name, long seed, int... hidden) {
        return switch (name == null ? "" : name) {
            case "mlp" -> mlp(seed, hidden);
            case "lenet" -> lenet(seed);
            default -> throw new IllegalArgumentException("unknown network '" + name + "', known: " + NAMES);
        };
    }

    public static ModelSpec mlp(long seed, int... hidden) {
        return new ModelSpec(Architecture.MLP, hidden, new int[0], 0, 1e-3, seed, 10);
    }

    public static ModelSpec cnn(long seed, int c1, int c2, int dense) {
        return new ModelSpec(Architecture.CNN, new int[]{dense}, new int[]{c1, c2}, 0, 1e-3, seed, 10);
    }

    /**
     * The LeNet of Wang et al. 2018 (dataset distillation): conv 6@5x5 → ReLU → maxpool 2 → conv 16@5x5
     * → ReLU → maxpool 2 → fc 120 → fc 84 → fc 10, on unpadded 28x28 inputs.
     */
    public static ModelSpec lenet(long seed) {
        return new ModelSpec(Architecture.CNN, new int[]{120, 84}, new int[]{6, 16}, 0, 1e-3, seed, 10);
    }

    /**
     * The ConvNet of the dataset-condensation papers (Zhao et al. 2021, Zhao & Bilen 2023): {@code depth} blocks of
     * 3×3 convolution (padding 1, {@code width} channels), instance normalisation, ReLU and 2×2 average pooling, then
     * one linear layer (28×28 inputs: 28 → 14 → 7 → 3 with depth 3).
     */
    public static ModelSpec convNet(long seed, int width, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("a ConvNet needs at least one block, got depth " + depth);
        }
        int[] widths = new int[depth];
        Arrays.fill(widths, width);
        return new ModelSpec(Architecture.CONVNET, new int[0], widths, 0, 1e-3, seed, 10);
    }

    public ModelSpec withSeed(long newSeed) {
        return new ModelSpec(architecture, hidden, channels, dropout, learningRate, newSeed, numClasses);
    }

    public ModelSpec withDropout(double p) {
        return new ModelSpec(architecture, hidden, channels, p, learningRate, seed, numClasses);
    }

    public ModelSpec withLearningRate(double lr) {
        return new ModelSpec(architecture, hidden, channels, dropout, lr, seed, numClasses);
    }

    /** A short name such as {@code mlp-784-64-10} or {@code cnn-16-32-128-10}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(architecture.name().toLowerCase());
        if (architecture == Architecture.MLP) {
            sb.append("-").append(INPUT_FEATURES);
        } else {
            for (int c : channels) {
                sb.append("-").append(c);
            }
        }
        for (int h : hidden) {
            sb.append("-").append(h);
        }
        return sb.append("-").append(numClasses).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec s && s.architecture == architecture && Arrays.equals(s.hidden, hidden)
                && Arrays.equals(s.channels, channels) && s.dropout == dropout && s.learningRate == learningRate
                && s.seed == seed && s.numClasses == numClasses;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hidden) * 31 + Arrays.hashCode(channels) + Long.hashCode(seed) + architecture.hashCode();
    }

    @Override
    public String toString() {
        return describe() + "(dropout=" + dropout + ", lr=" + learningRate + ", seed=" + seed + ")";
    }

    public enum Architecture { MLP, CNN, CONVNET }
}
