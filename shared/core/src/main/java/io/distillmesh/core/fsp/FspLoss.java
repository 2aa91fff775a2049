package io.distillmesh.core.fsp;

import io.distillmesh.core.loss.PerExampleLoss;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * The FSP loss of one layer pair, λ·||G_teacher − G_student||² per sample (DL4J averages over the minibatch, the
 * 1/N of the paper), as a DL4J loss on the student's two feature maps merged along channels and flattened:
 * {@code preOutput [n, (c1 + c2)·h·w]}, channels of the first map first. Labels are the teacher's FSP matrices,
 * {@code [n, c1·c2]} row-major.
 *
 * <p>dL/dG_student = 2λ·(G_student − G_teacher), taken back to the maps by {@link FspMatrix#backward}.
 */
public final class FspLoss extends PerExampleLoss {
    private final double lambda;
    private final int firstChannels;
    private final int secondChannels;
    private final int positions;

    @JsonCreator
    public FspLoss(@JsonProperty("lambda") double lambda, @JsonProperty("firstChannels") int firstChannels,
                   @JsonProperty("secondChannels") int secondChannels, @JsonProperty("positions") int positions) {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be positive and finite, got " + lambda);
        }
        if (firstChannels < 1 || secondChannels < 1 || positions < 1) {
            throw new IllegalArgumentException("channels and positions must be positive, got " + firstChannels + ", "
                    + secondChannels + ", " + positions);
        }
        this.lambda = lambda;
        this.firstChannels = firstChannels;
        this.secondChannels = secondChannels;
        this.positions = positions;
    }

    @JsonProperty("lambda")
    public double lambda() {
        return lambda;
    }

    @JsonProperty("firstChannels")
    public int firstChannels() {
        return firstChannels;
    }

    @JsonProperty("secondChannels")
    public int secondChannels() {
        return secondChannels;
    }

    @JsonProperty("positions")
    public int positions() {
        return positions;
    }

    /** The student's FSP matrices {@code [n, c1, c2]} from the merged, flattened feature maps. */
    public INDArray studentMatrices(INDArray features) {
        return FspMatrix.of(split(features));
    }

    @Override
    protected void validate(INDArray labels, INDArray preOutput) {
        long width = (long) (firstChannels + secondChannels) * positions;
        if (preOutput.rank() != 2 || preOutput.size(1) != width) {
            throw new IllegalArgumentException("expected merged student feature maps [n, " + width + "] ((" + firstChannels
                    + " + " + secondChannels + ") channels x " + positions + " positions), got "
                    + Arrays.toString(preOutput.shape()));
        }
        if (labels.rank() != 2 || labels.size(1) != (long) firstChannels * secondChannels
                || labels.size(0) != preOutput.size(0)) {
            throw new IllegalArgumentException("expected teacher FSP matrices [" + preOutput.size(0) + ", "
                    + firstChannels * secondChannels + "], got " + Arrays.toString(labels.shape()));
        }
    }

    @Override
    protected INDArray scorePerExample(INDArray labels, INDArray features) {
        INDArray diff = studentMatrices(features).subi(teacherMatrices(labels, features));
        return diff.muli(diff).reshape(diff.size(0), (long) firstChannels * secondChannels).sum(true, 1).muli(lambda);
    }

    @Override
    protected INDArray gradient(INDArray labels, INDArray features) {
        FlattenedMaps maps = split(features);
        INDArray diff = FspMatrix.of(maps).subi(teacherMatrices(labels, features));
        FlattenedMaps dMaps = FspMatrix.backward(maps, diff, 2 * lambda);
        return Nd4j.concat(1, dMaps.first(), dMaps.second()).reshape('c', features.size(0), features.size(1));
    }

    private INDArray teacherMatrices(INDArray labels, INDArray features) {
        return labels.reshape('c', labels.size(0), firstChannels, secondChannels).castTo(features.dataType());
    }

    private FlattenedMaps split(INDArray features) {
        INDArray maps = features.reshape('c', features.size(0), firstChannels + secondChannels, positions);
        return new FlattenedMaps(
                maps.get(NDArrayIndex.all(), NDArrayIndex.interval(0, firstChannels), NDArrayIndex.all()).dup('c'),
                maps.get(NDArrayIndex.all(), NDArrayIndex.interval(firstChannels, firstChannels + secondChannels),
                        NDArrayIndex.all()).dup('c'));
    }

    @Override
    public String toString() {
        return "FspLoss(lambda=" + lambda + ", " + firstChannels + "x" + secondChannels + ", positions=" + positions + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FspLoss f && f.lambda == lambda && f.firstChannels == firstChannels
                && f.secondChannels == secondChannels && f.positions == positions;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(lambda) * 31 + firstChannels * 7 + secondChannels * 3 + positions;
    }
}
