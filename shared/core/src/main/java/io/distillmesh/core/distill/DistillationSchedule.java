package io.distillmesh.core.distill;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The shape of a distilled training run (Wang et al. 2018): {@code steps} distilled batches of
 * {@code imagesPerClass} images of each of {@code classes} classes, replayed {@code epochs} times, one
 * gradient step per batch and epoch. Step {@code t = epoch·steps + step} uses batch {@code t mod steps}
 * and the learned step size {@code η_t}. Within a batch, row {@code r} belongs to class
 * {@code r / imagesPerClass}: the labels are fixed, one-hot, and identical for every batch.
 */
public record DistillationSchedule(int imagesPerClass, int steps, int epochs, int classes) {
    public DistillationSchedule {
        if (imagesPerClass < 1) {
            throw new IllegalArgumentException("a distilled batch needs at least 1 image per class, got "
                    + imagesPerClass);
        }
        if (steps < 1 || epochs < 1) {
            throw new IllegalArgumentException("steps × epochs must be at least 1 (there is nothing to learn "
                    + "without a gradient step), got steps=" + steps + ", epochs=" + epochs);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        if ((long) steps * epochs > Integer.MAX_VALUE || (long) imagesPerClass * classes * steps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("schedule too large: steps=" + steps + ", epochs=" + epochs
                    + ", images per class=" + imagesPerClass);
        }
    }

    /** T = S·E, the number of inner gradient steps (and of learned step sizes). */
    public int totalSteps() {
        return steps * epochs;
    }

    /** Images in one distilled batch: M·C. */
    public int batchSize() {
        return imagesPerClass * classes;
    }

    /** Images in the whole distilled set: S·M·C. */
    public int totalImages() {
        return steps * batchSize();
    }

    /** Which distilled batch inner step {@code t} uses. */
    public int batchOf(int t) {
        if (t < 0 || t >= totalSteps()) {
            throw new IndexOutOfBoundsException("step " + t + " outside 0.." + (totalSteps() - 1));
        }
        return t % steps;
    }

    public int classOfRow(int row) {
        return row / imagesPerClass;
    }

    /** The fixed one-hot labels of every distilled batch, [M·C, C]. */
    public INDArray labels(DataType dataType) {
        INDArray y = Nd4j.zeros(dataType, batchSize(), classes);
        for (int r = 0; r < batchSize(); r++) {
            y.putScalar(r, classOfRow(r), 1.0);
        }
        return y;
    }

    public String describe() {
        return imagesPerClass + " img/class × " + steps + " steps × " + epochs + " epochs";
    }
}
