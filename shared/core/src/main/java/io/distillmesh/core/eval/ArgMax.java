package io.distillmesh.core.eval;

import java.util.function.IntToDoubleFunction;

/** The predicted class of one distribution, log-distribution or logit vector: the first index of its largest value. */
public final class ArgMax {
    private ArgMax() {
    }

    public static int of(double[] values) {
        return of(values.length, k -> values[k]);
    }

    public static int of(float[] values) {
        return of(values.length, k -> values[k]);
    }

    private static int of(int length, IntToDoubleFunction value) {
        int best = 0;
        double largest = length == 0 ? Double.NaN : value.applyAsDouble(0);
        for (int k = 1; k < length; k++) {
            double v = value.applyAsDouble(k);
            if (v > largest) {
                best = k;
                largest = v;
            }
        }
        return best;
    }
}
