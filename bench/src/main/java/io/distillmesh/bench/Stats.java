package io.distillmesh.bench;

import java.util.Arrays;

/** Mean and sample standard deviation (n − 1 in the denominator; 0 for a single value). */
record Stats(double mean, double std, int n) {
    static Stats of(double[] values) {
        double mean = Arrays.stream(values).average().orElse(Double.NaN);
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        double std = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
        return new Stats(mean, std, values.length);
    }

    /** As percentages, e.g. {@code 84.31 ± 0.27}. */
    String percent() {
        return String.format("%.2f ± %.2f", 100 * mean, 100 * std);
    }

    /** As signed percentage points, e.g. {@code +0.12 ± 0.30}. */
    String signedPercent() {
        return String.format("%+.2f ± %.2f", 100 * mean, 100 * std);
    }
}
