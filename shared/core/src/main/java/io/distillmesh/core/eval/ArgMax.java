package io.distillmesh.core.eval;

/** The predicted class of one distribution, log-distribution or logit vector: the first index of its largest value. */
public final class ArgMax {
    private ArgMax() {
    }

    public static int of(double[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }

    public static int of(float[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }
}
