package io.distillmesh.core.loss;

import org.nd4j.linalg.factory.Nd4j;
import java.util.Arrays;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Hinton et al. (2015): α·T²·KL(p_teacher,T ‖ p_student,T) + (1−α)·CE(y, p_student,1), as a DL4J
 * loss on the student's logits (use it with an identity output activation).
 *
 * <p>Labels are {@code [n, 2K]}: columns {@code 0..K-1} hold the teacher's distribution at T,
 * columns {@code K..2K-1} the one-hot hard label, or all zeros for a sample without a label
 * (then only the soft term applies to it). {@link #labels} builds that layout.
 *
 * <p>Gradient w.r.t. the logits z: α·T·(q_T − p_T) + (1−α)·(Σy·q_1 − y), with q_T = softmax(z/T).
 */
public final class KnowledgeDistillationLoss implements ILossFunction {
    private final double temperature;
    private final double alpha;
    private final int numClasses;

    @JsonCreator
    public KnowledgeDistillationLoss(@JsonProperty("temperature") double temperature,
                                     @JsonProperty("alpha") double alpha,
                                     @JsonProperty("numClasses") int numClasses) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + numClasses);
        }
        this.temperature = temperature;
        this.alpha = alpha;
        this.numClasses = numClasses;
    }

    @JsonProperty("temperature")
    public double temperature() {
        return temperature;
    }

    @JsonProperty("alpha")
    public double alpha() {
        return alpha;
    }

    @JsonProperty("numClasses")
    public int numClasses() {
        return numClasses;
    }

    /** Concatenates teacher probabilities {@code [n,K]} and one-hot (or zero) hard labels {@code [n,K]}. */
    public static INDArray labels(INDArray teacherProbs, INDArray hardLabels) {
        return Nd4j.hstack(teacherProbs, hardLabels);
    }

    /** Per-example loss, {@code [n, 1]}. */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkShapes(labels, preOutput);
        INDArray z = activationFn.getActivation(preOutput.dup(), false);
        INDArray teacher = soft(labels);
        INDArray hard = hard(labels);
        INDArray logQT = TemperatureSoftmax.logSoftmax(z, temperature);
        INDArray logQ1 = TemperatureSoftmax.logSoftmax(z, 1.0);
        // KL(p‖q) = Σ p (log p − log q); 0·log 0 taken as 0
        INDArray logP = Transforms.log(Transforms.max(teacher, Double.MIN_NORMAL, true), false);
        INDArray kl = teacher.mul(logP.subi(logQT)).sum(true, 1);
        INDArray ce = hard.mul(logQ1).sum(true, 1).negi();
        INDArray score = kl.muli(alpha * temperature * temperature).addi(ce.muli(1 - alpha));
        return mask == null ? score : score.muli(mask.reshape(score.shape()));
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
        INDArray z = activationFn.getActivation(preOutput.dup(), true);
        INDArray teacher = soft(labels);
        INDArray hard = hard(labels);
        INDArray qT = TemperatureSoftmax.softmax(z, temperature);
        INDArray q1 = TemperatureSoftmax.softmax(z, 1.0);
        INDArray labelled = hard.sum(true, 1);
        INDArray dLdz = qT.subi(teacher).muli(alpha * temperature)
                .addi(q1.muliColumnVector(labelled).subi(hard).muli(1 - alpha));
        if (mask != null) {
            dLdz.muliColumnVector(mask.reshape(mask.length(), 1).castTo(dLdz.dataType()));
        }
        return activationFn.backprop(preOutput.dup(), dLdz).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public String toString() {
        return "KnowledgeDistillationLoss(T=" + temperature + ", alpha=" + alpha + ", K=" + numClasses + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KnowledgeDistillationLoss k && k.temperature == temperature && k.alpha == alpha
                && k.numClasses == numClasses;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(temperature) * 31 + Double.hashCode(alpha) * 7 + numClasses;
    }

    private INDArray soft(INDArray labels) {
        return labels.get(NDArrayIndex.all(),
                NDArrayIndex.interval(0, numClasses));
    }

    private INDArray hard(INDArray labels) {
        return labels.get(NDArrayIndex.all(),
                NDArrayIndex.interval(numClasses, 2 * numClasses));
    }

    private void checkShapes(INDArray labels, INDArray preOutput) {
        if (preOutput.rank() != 2 || preOutput.size(1) != numClasses) {
            throw new IllegalArgumentException("expected student logits [n, " + numClasses + "], got "
                    + Arrays.toString(preOutput.shape()));
        }
        if (labels.rank() != 2 || labels.size(1) != 2L * numClasses || labels.size(0) != preOutput.size(0)) {
            throw new IllegalArgumentException("expected labels [" + preOutput.size(0) + ", " + 2 * numClasses
                    + "] (teacher probabilities then hard labels), got " + Arrays.toString(labels.shape()));
        }
    }
}
