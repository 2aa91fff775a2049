package io.distillmesh.core.train;

import java.util.Random;

/** The sample order of each epoch: a seeded permutation, so two training arms can see identical batches. */
public final class EpochOrder {
    private final int size;
    private final long seed;

    public EpochOrder(int size, long seed) {
        this.size = size;
        this.seed = seed;
    }

    public int[] permutation(int epoch) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Random rnd = new Random(seed * 1_000_003L + epoch);
        for (int i = size - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    public static int[] slice(int[] order, int from, int to) {
        int[] out = new int[to - from];
        System.arraycopy(order, from, out, 0, out.length);
        return out;
    }
}
