package io.distillmesh.core.distill;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A finished distilled data set, meaningful only with its schedule: the images (float32, batch after
 * batch, class after class within a batch), the positive learned step sizes η_t (t = epoch·S + step),
 * and the init distribution it was distilled for. This is what is saved, shipped and replayed.
 */
public record DistilledSet(DistillationSchedule schedule, ImageShape shape, float[] pixels, double[] stepSizes,
                           InitSpec init) {
    public DistilledSet {
        if (schedule == null || shape == null || pixels == null || stepSizes == null || init == null) {
            throw new IllegalArgumentException("schedule, shape, pixels, step sizes and init spec are all required");
        }
        long expected = (long) schedule.totalImages() * shape.features();
        if (pixels.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " pixels (" + schedule.describe() + " of "
                    + shape + "), got " + pixels.length);
        }
        if (stepSizes.length != schedule.totalSteps()) {
            throw new IllegalArgumentException("expected " + schedule.totalSteps() + " step sizes, got " + stepSizes.length);
        }
        for (float p : pixels) {
            if (!Float.isFinite(p)) {
                throw new IllegalArgumentException("pixels must be finite, found " + p);
            }
        }
        for (double eta : stepSizes) {
            if (!(eta > 0) || Double.isInfinite(eta)) {
                throw new IllegalArgumentException("step sizes must be finite and positive, found " + eta);
            }
        }
        if (init.network().numClasses() != schedule.classes()) {
            throw new IllegalArgumentException("init network has " + init.network().numClasses()
                    + " classes, the schedule " + schedule.classes());
        }
    }

    /** The set as the inner loop sees it, in the given precision. */
    public InnerSteps steps(DataType dataType) {
        int b = schedule.batchSize();
        int f = shape.features();
        List<INDArray> batches = new ArrayList<>(schedule.steps());
        for (int s = 0; s < schedule.steps(); s++) {
            float[] part = Arrays.copyOfRange(pixels, s * b * f, (s + 1) * b * f);
            batches.add(Nd4j.create(part, new long[]{b, f}, DataType.FLOAT).castTo(dataType));
        }
        return new InnerSteps(schedule, batches, schedule.labels(dataType), stepSizes.clone());
    }

    /** Image {@code row} of batch {@code step}. */
    public float[] image(int step, int row) {
        int f = shape.features();
        int from = (step * schedule.batchSize() + row) * f;
        return Arrays.copyOfRange(pixels, from, from + f);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistilledSet d && d.schedule.equals(schedule) && d.shape.equals(shape)
                && Arrays.equals(d.pixels, pixels) && Arrays.equals(d.stepSizes, stepSizes) && d.init.equals(init);
    }

    @Override
    public int hashCode() {
        return (schedule.hashCode() * 31 + Arrays.hashCode(pixels)) * 31 + Arrays.hashCode(stepSizes);
    }

    @Override
    public String toString() {
        return "DistilledSet[" + schedule.describe() + ", " + shape + ", η=" + Arrays.toString(stepSizes)
                + ", init=" + init + "]";
    }
}
