package io.distillmesh.core.fsp;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * The FSP loss of one layer pair, λ·||G_teacher − G_student||² per sample (DL4J averages over the minibatch, the
 * 1/N of the paper), as a DL4J loss on the student's two feature maps merged along channels and flattened:
 * {@code preOutput [n, (c1 + c2)·h·w]}, channels of the first map first. Labels are the teacher's FSP matrices,
 * {@code [n, c1·c2]} row-major.
 *
 * <p>With D = G_s − G_t and F as {@code [c, h·w]}: dL/dF1 = (2λ/hw)·D·F2, dL/dF2 = (2λ/hw)·Dᵀ·F1.
 */
public final class FspLoss implements ILossFunction {
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
        INDArray[] maps = split(features);
        return Nd4j.matmul(maps[0], maps[1], false, true, false).muli(1.0 / positions);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkShapes(labels, preOutput);
        INDArray features = activationFn.getActivation(preOutput.dup(), false);
        INDArray diff = difference(labels, features);
        INDArray score = diff.muli(diff).reshape(diff.size(0), (long) firstChannels * secondChannels)
                .sum(true, 1).muli(lambda);
        return mask == null ? score : score.muli(mask.reshape(score.shape()).castTo(score.dataType()));
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkShapes(labels, preOutput);
        INDArray features = activationFn.getActivation(preOutput.dup(), true);
        INDArray[] maps = split(features);
        INDArray diff = difference(labels, features);
        double scale = 2 * lambda / positions;
        long n = features.size(0);
        INDArray dFirst = Nd4j.matmul(diff, maps[1], false, false, false).muli(scale);
        INDArray dSecond = Nd4j.matmul(diff, maps[0], true, false, false).muli(scale);
        INDArray dLdA = Nd4j.concat(1, dFirst, dSecond).reshape('c', n, features.size(1));
        if (mask != null) {
            dLdA.muliColumnVector(mask.reshape(mask.length(), 1).castTo(dLdA.dataType()));
        }
        return activationFn.backprop(preOutput.dup(), dLdA).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    private INDArray difference(INDArray labels, INDArray features) {
        INDArray teacher = labels.reshape('c', labels.size(0), firstChannels, secondChannels)
                .castTo(features.dataType());
        return studentMatrices(features).subi(teacher);
    }

    private INDArray[] split(INDArray features) {
        INDArray maps = features.reshape('c', features.size(0), firstChannels + secondChannels, positions);
        return new INDArray[]{
                maps.get(NDArrayIndex.all(),
                        NDArrayIndex.interval(0, firstChannels),
                        NDArrayIndex.all()).dup('c'),
                maps.get(NDArrayIndex.all(),
                        NDArrayIndex.interval(firstChannels, firstChannels + secondChannels),
                        NDArrayIndex.all()).dup('c')};
    }

    private void checkShapes(INDArray labels, INDArray preOutput) {
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
    public String name() {
        return toString();
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
