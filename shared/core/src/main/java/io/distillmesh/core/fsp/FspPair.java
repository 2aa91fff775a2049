package io.distillmesh.core.fsp;

/**
 * Two feature maps of one network with the same spatial size, named by vertex: the FSP matrix flows from
 * {@code first} to {@code second}.
 */
public record FspPair(String first, String second) {
    public FspPair {
        if (first == null || first.isBlank() || second == null || second.isBlank()) {
            throw new IllegalArgumentException("an FSP pair needs two layer names, got (" + first + ", " + second + ")");
        }
        if (first.equals(second)) {
            throw new IllegalArgumentException("an FSP pair needs two different layers, got " + first + " twice");
        }
    }

    @Override
    public String toString() {
        return first + "->" + second;
    }
}
