package io.distillmesh.core.distill;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.OffHeap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The learned part of a distilled data set, mutable while the outer optimizer works on it: the pixels
 * of all S batches as one [S·M·C, features] array (batch s is rows s·M·C .. (s+1)·M·C − 1) and the raw
 * step sizes ρ_t (η_t = softplus(ρ_t)) as a [T] double array. Labels are fixed by the schedule.
 */
public final class DistilledData {
    private final DistillationSchedule schedule;
    private final ImageShape shape;
    private final INDArray pixels;
    private final INDArray rawStepSizes;
    private final INDArray labels;

    public DistilledData(DistillationSchedule schedule, ImageShape shape, INDArray pixels, double[] rawStepSizes) {
        if (schedule == null || shape == null || pixels == null || rawStepSizes == null) {
            throw new IllegalArgumentException("schedule, image shape, pixels and raw step sizes are required");
        }
        if (pixels.rank() != 2 || pixels.rows() != schedule.totalImages() || pixels.columns() != shape.features()) {
            throw new IllegalArgumentException("pixels must be [" + schedule.totalImages() + ", " + shape.features()
                    + "] for " + schedule.describe() + " of " + shape + ", got " + Arrays.toString(pixels.shape()));
        }
        if (!pixels.dataType().isFPType()) {
            throw new IllegalArgumentException("pixels must be floating point, got " + pixels.dataType());
        }
        if (rawStepSizes.length != schedule.totalSteps()) {
            throw new IllegalArgumentException("need " + schedule.totalSteps() + " raw step sizes (steps × epochs), got "
                    + rawStepSizes.length);
        }
        for (double r : rawStepSizes) {
            if (!Double.isFinite(r)) {
                throw new IllegalArgumentException("raw step sizes must be finite, got " + r);
            }
        }
        this.schedule = schedule;
        this.shape = shape;
        this.pixels = pixels;
        this.rawStepSizes = Nd4j.createFromArray(rawStepSizes.clone());
        this.labels = schedule.labels(pixels.dataType());
    }

    /**
     * A fresh set: every step size η_0 and images from {@code init} — Gaussian noise with the given mean
     * and standard deviation, or M random real images of each class per batch from {@code real}.
     */
    public static DistilledData initialise(DistillationSchedule schedule, ImageShape shape, ImageInit init,
                                           LabelledImages real, double noiseMean, double noiseStd,
                                           double initialStepSize, long seed, DataType dataType) {
        double raw = Softplus.inverse(initialStepSize);
        double[] rawSteps = new double[schedule.totalSteps()];
        Arrays.fill(rawSteps, raw);
        Random rnd = new Random(seed);
        int n = schedule.totalImages();
        int f = shape.features();
        float[] px = new float[n * f];
        if (init == ImageInit.NOISE) {
            if (!(noiseStd >= 0) || !Double.isFinite(noiseMean) || Double.isInfinite(noiseStd)) {
                throw new IllegalArgumentException("noise needs a finite mean and a non-negative std, got "
                        + noiseMean + ", " + noiseStd);
            }
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) (noiseMean + noiseStd * rnd.nextGaussian());
            }
        } else {
            if (real == null) {
                throw new IllegalArgumentException("image init 'real' needs a real data set to draw from");
            }
            if (real.features() != f || real.numClasses() != schedule.classes()) {
                throw new IllegalArgumentException("real images have " + real.features() + " features and "
                        + real.numClasses() + " classes, the distilled set " + f + " and " + schedule.classes());
            }
            int[] picks = RealImagePicker.balanced(real, schedule, rnd);
            for (int i = 0; i < n; i++) {
                real.images().copyImage(picks[i], px, i * f);
            }
        }
        INDArray pixels = Nd4j.create(px, new long[]{n, f}, DataType.FLOAT).castTo(dataType);
        return new DistilledData(schedule, shape, pixels, rawSteps);
    }

    public DistillationSchedule schedule() {
        return schedule;
    }

    public ImageShape shape() {
        return shape;
    }

    public DataType dataType() {
        return pixels.dataType();
    }

    /** The live pixel array the outer optimizer updates. */
    public INDArray pixels() {
        return pixels;
    }

    /** The live raw step sizes ρ the outer optimizer updates. */
    public INDArray rawStepSizes() {
        return rawStepSizes;
    }

    /** η_t = softplus(ρ_t) for every inner step. */
    public double[] stepSizes() {
        double[] eta = new double[schedule.totalSteps()];
        for (int t = 0; t < eta.length; t++) {
            eta[t] = Softplus.value(rawStepSizes.getDouble(t));
        }
        return eta;
    }

    /** Chains dL/dη through the softplus: dL/dρ_t = dL/dη_t · sigmoid(ρ_t). */
    public INDArray rawStepSizeGradient(double[] stepSizeGradient) {
        if (stepSizeGradient.length != schedule.totalSteps()) {
            throw new IllegalArgumentException("need " + schedule.totalSteps() + " step-size gradients, got "
                    + stepSizeGradient.length);
        }
        double[] out = new double[stepSizeGradient.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = stepSizeGradient[t] * Softplus.derivative(rawStepSizes.getDouble(t));
        }
        return Nd4j.createFromArray(out);
    }

    /** The current state as the inner loop sees it (views onto the live pixels). */
    public InnerSteps steps() {
        List<INDArray> batches = new ArrayList<>(schedule.steps());
        int b = schedule.batchSize();
        for (int s = 0; s < schedule.steps(); s++) {
            batches.add(pixels.get(NDArrayIndex.interval(s * b, (s + 1) * b), NDArrayIndex.all()));
        }
        return new InnerSteps(schedule, batches, labels, stepSizes());
    }

    /** An immutable copy to ship, evaluate or replay, with the init it was distilled for. */
    public DistilledSet snapshot(InitSpec init) {
        INDArray floats = pixels.castTo(DataType.FLOAT).dup('c');
        float[] copy = floats.data().asFloat();
        OffHeap.release(floats);
        return new DistilledSet(schedule, shape, copy, stepSizes(), init);
    }
}
