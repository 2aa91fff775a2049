package io.distillmesh.bench;

/** Index ranges as int arrays. */
final class Ranges {
    private Ranges() {
    }

    /** {@code from, from+1, ..., to-1}. */
    static int[] of(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }
}
