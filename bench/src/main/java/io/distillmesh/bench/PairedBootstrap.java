package io.distillmesh.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A percentile bootstrap interval for the mean of paired per-item differences (e.g. "combined right" minus
 * "generalist right" per test image): the items are resampled with replacement, so the interval reflects which
 * test images happened to be drawn.
 */
record PairedBootstrap(double mean, double low, double high) {
    static PairedBootstrap of(double[] differences, int resamples, double level, long seed) {
        int n = differences.length;
        if (n == 0) {
            return new PairedBootstrap(Double.NaN, Double.NaN, Double.NaN);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += differences[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        Arrays.sort(means);
        double tail = (1 - level) / 2;
        return new PairedBootstrap(Arrays.stream(differences).average().orElse(Double.NaN),
                means[(int) Math.floor(tail * (resamples - 1))], means[(int) Math.ceil((1 - tail) * (resamples - 1))]);
    }

    /** As signed percentage points with the interval, e.g. {@code +0.42 [+0.10, +0.75]}. */
    String signedPercent() {
        return String.format("%+.2f [%+.2f, %+.2f]", 100 * mean, 100 * low, 100 * high);
    }
}
