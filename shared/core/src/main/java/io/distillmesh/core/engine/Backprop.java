package io.distillmesh.core.engine;

import java.util.Locale;

/** Which backprop computes the inner and meta-loss gradients. */
public enum Backprop {
    /**
     * The hand-written backprop where it is the faster one: for MLPs, and for convolutional networks when
     * ND4J's native library has oneDNN's convolution kernels; DL4J's for every other network.
     */
    AUTOMATIC,
    /** The hand-written backprop; refused for networks it does not support. */
    HAND_WRITTEN,
    /** Always DL4J's own backprop. */
    DL4J;

    public static Backprop parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "auto", "automatic" -> AUTOMATIC;
            case "hand-written", "hand" -> HAND_WRITTEN;
            case "dl4j" -> DL4J;
            default -> throw new IllegalArgumentException("unknown backprop '" + text + "', known: auto, hand-written, dl4j");
        };
    }
}
