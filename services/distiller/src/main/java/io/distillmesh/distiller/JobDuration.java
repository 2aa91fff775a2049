package io.distillmesh.distiller;

import io.distillmesh.core.model.ModelSpec;

import java.util.Locale;

/**
 * How long a job takes at the least, estimated from its spec before it starts, held against the time a job may
 * take and the time a cancel may wait between two checks (before each inner step and step back, and each chunk of
 * the real batch).
 *
 * <p>A pass through the network (forward and backward) costs a fixed time, a time per layer (more for LeNet's
 * convolutions and poolings), a time per parameter (the parameter-sized arrays it fills) and a time per
 * multiply-add of each image's forward pass. An inner step is one pass over the distilled batch to unroll it and
 * two more for the Hessian-vector product on the way back; an iteration is S·E inner steps and one pass over the
 * real batch, in chunks of 128 images, for each init it draws. The rates are the fast end of single passes timed
 * on one core of the development machine (LeNet: 7.5 ms for 10 images, 18.8 ms for 128; MLP 784-1024-10: 71 ms
 * for 1,000 images); the kink guard's retries and arithmetic come on top, so an estimate is a floor. Measured
 * there, per iteration: the paper's LeNet schedule 0.148 s (docs/BENCHMARKS.md), estimated 0.125 s; 30 inner
 * steps of 10 images and a real batch of 256, LeNet 1.0 s (estimated 0.54 s), MLP 784-128-10 1.5 s (0.17 s).
 * keepBestEvery's checks add a pass a step for each validation init and a forward pass over the held-out images.
 */
final class JobDuration {
    static final double MAX_JOB_HOURS = 24;
    static final double MAX_SECONDS_BETWEEN_CANCEL_CHECKS = 10;
    static final long CHUNK_ROWS = 128;
    /** Rows a batch when a set's replays are scored (core's accuracy loop). */
    static final long SCORING_ROWS = 1000;
    private static final double SECONDS_PER_PASS = 1e-3;
    private static final double SECONDS_PER_LAYER = 1e-4;
    private static final double SECONDS_PER_CONVOLUTION_OR_POOLING = 1e-3;
    private static final double SECONDS_PER_PARAMETER = 5e-9;
    private static final double SECONDS_PER_MULTIPLY_ADD = 1e-10;
    private static final int CONVOLUTIONS_AND_POOLINGS = 4;
    private static final int PASSES_PER_INNER_STEP = 3;
    private static final int PASSES_PER_STEP_BACK = 2;
    private final DistillJobSpec spec;
    private final ModelSpec network;

    JobDuration(DistillJobSpec spec, ModelSpec network) {
        this.spec = spec;
        this.network = network;
    }

    /** Refuses, naming the fields to lower, a job too long or with a stretch too long to cancel in. */
    void check() {
        if (stepBackSeconds() > MAX_SECONDS_BETWEEN_CANCEL_CHECKS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "each step back over imagesPerClass·%d = %d "
                            + "images through %s (%.3g multiply-adds per image) takes at least %.0f s, more than the %.0f s "
                            + "a cancel may wait: lower imagesPerClass or the hidden widths", network.numClasses(),
                    batchImages(), network.describe(), multiplyAdds(), stepBackSeconds(), MAX_SECONDS_BETWEEN_CANCEL_CHECKS));
        }
        if (realChunkSeconds() > MAX_SECONDS_BETWEEN_CANCEL_CHECKS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "each chunk of %d real images through %s "
                            + "(%.3g multiply-adds per image) takes at least %.0f s, more than the %.0f s a cancel may wait: "
                            + "lower the hidden widths", CHUNK_ROWS, network.describe(), multiplyAdds(), realChunkSeconds(),
                    MAX_SECONDS_BETWEEN_CANCEL_CHECKS));
        }
        if (checkSeconds() > MAX_SECONDS_BETWEEN_CANCEL_CHECKS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "each keepBestEvery check (validationInits = "
                            + "%d replays of S·E = %d steps, each scored on validation = %d images) takes at least %.0f s, "
                            + "more than the %.0f s a cancel may wait: lower validationInits or validation",
                    spec.validationInits(), spec.totalSteps(), spec.validation(), checkSeconds(),
                    MAX_SECONDS_BETWEEN_CANCEL_CHECKS));
        }
        double hours = jobSeconds() / 3600;
        if (hours > MAX_JOB_HOURS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%d iterations of %s, each with "
                            + "modelsPerIteration = %d, S·E = %d inner steps over %d images and a real batch of %d, take at "
                            + "least %.0f h, more than the %.0f h a job may take: lower iterations, steps, epochs, "
                            + "imagesPerClass, realBatch or modelsPerIteration (or keepBestEvery's validationInits)", spec.iterations(), network.describe(),
                    spec.modelsPerIteration(), spec.totalSteps(), batchImages(), spec.realBatch(), hours, MAX_JOB_HOURS));
        }
    }

    /** The whole job: every iteration, every init, every inner step and the real batch. */
    double jobSeconds() {
        double innerSteps = (double) spec.totalSteps() * PASSES_PER_INNER_STEP * passSeconds(batchImages());
        double realBatch = chunks(spec.realBatch()) * passSeconds(0) + spec.realBatch() * imageSeconds();
        return (double) spec.iterations() * spec.modelsPerIteration() * (innerSteps + realBatch)
                + checks() * checkSeconds();
    }

    /** One keepBestEvery check: each validation init trained on the set (a pass a step), then scored. */
    double checkSeconds() {
        if (spec.keepBestEvery() <= 0) {
            return 0;
        }
        double replay = spec.totalSteps() * passSeconds(batchImages());
        long scoringBatches = (spec.validation() + SCORING_ROWS - 1) / SCORING_ROWS;
        double scoring = scoringBatches * passSeconds(0) + spec.validation() * imageSeconds();
        return spec.validationInits() * (replay + scoring);
    }

    /** keepBestEvery's checks: every N iterations and after the last. */
    private long checks() {
        if (spec.keepBestEvery() <= 0) {
            return 0;
        }
        return spec.iterations() / spec.keepBestEvery() + (spec.iterations() % spec.keepBestEvery() == 0 ? 0 : 1);
    }

    /** Between two checks on the way back: the Hessian-vector product of one inner step. */
    double stepBackSeconds() {
        return PASSES_PER_STEP_BACK * passSeconds(batchImages());
    }

    /** Between two checks on the real batch: one chunk. */
    double realChunkSeconds() {
        return passSeconds(Math.min(spec.realBatch(), CHUNK_ROWS));
    }

    /** Multiply-adds of one image's forward pass. */
    double multiplyAdds() {
        double total = 0;
        double in;
        if (network.architecture() == ModelSpec.Architecture.MLP) {
            in = ModelSpec.INPUT_FEATURES;
        } else {
            int[] ch = network.channels();
            int kernel = TrajectoryMemory.KERNEL * TrajectoryMemory.KERNEL;
            int conv1 = TrajectoryMemory.ROWS - TrajectoryMemory.KERNEL + 1;
            int conv2 = conv1 / 2 - TrajectoryMemory.KERNEL + 1;
            total += (double) conv1 * conv1 * kernel * ch[0] + (double) conv2 * conv2 * kernel * ch[0] * ch[1];
            in = (double) TrajectoryMemory.pooledSide() * TrajectoryMemory.pooledSide() * ch[1];
        }
        for (int width : network.hidden()) {
            total += in * width;
            in = width;
        }
        return total + in * network.numClasses();
    }

    private long batchImages() {
        return (long) spec.imagesPerClass() * network.numClasses();
    }

    private double passSeconds(long images) {
        int convolutionsAndPoolings = network.architecture() == ModelSpec.Architecture.CNN
                ? CONVOLUTIONS_AND_POOLINGS : 0;
        return SECONDS_PER_PASS + (network.hidden().length + 1) * SECONDS_PER_LAYER
                + convolutionsAndPoolings * SECONDS_PER_CONVOLUTION_OR_POOLING
                + TrajectoryMemory.parameters(network) * SECONDS_PER_PARAMETER + images * imageSeconds();
    }

    private double imageSeconds() {
        return multiplyAdds() * SECONDS_PER_MULTIPLY_ADD;
    }

    private static long chunks(long rows) {
        return (rows + CHUNK_ROWS - 1) / CHUNK_ROWS;
    }
}
