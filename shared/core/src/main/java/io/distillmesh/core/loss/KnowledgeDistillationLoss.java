package io.distillmesh.core.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Hinton et al. (2015): α·T²·KL(p_teacher,T ‖ p_student,T) + (1−α)·CE(y, p_student,1), as a DL4J
 * loss on the student's logits (use it with an identity output activation).
 *
 * <p>Labels are {@link SoftAndHardLabels} packed as {@code [n, 2K]}; a sample without a hard label (a row of
 * zeros) gets only the soft term.
 *
 * <p>Gradient w.r.t. the logits z: α·T·(q_T − p_T) + (1−α)·(Σy·q_1 − y), with q_T = softmax(z/T).
 */
public final class KnowledgeDistillationLoss extends PerExampleLoss {
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

    /** The labels this loss reads: teacher probabilities {@code [n,K]} and one-hot (or zero) hard labels, packed. */
    public static INDArray labels(INDArray teacherProbs, INDArray hardLabels) {
        return new SoftAndHardLabels(teacherProbs, hardLabels).packed();
    }

    @Override
    protected void validate(INDArray labels, INDArray logits) {
        if (logits.rank() != 2 || logits.size(1) != numClasses) {
            throw new IllegalArgumentException("expected student logits [n, " + numClasses + "], got "
                    + Arrays.toString(logits.shape()));
        }
        SoftAndHardLabels.requirePacked(labels, logits.size(0), numClasses);
    }

    @Override
    protected INDArray scorePerExample(INDArray labels, INDArray logits) {
        SoftAndHardLabels y = SoftAndHardLabels.unpack(labels, numClasses);
        INDArray teacher = y.teacherProbabilities();
        INDArray logQT = TemperatureSoftmax.logSoftmax(logits, temperature);
        INDArray logQ1 = TemperatureSoftmax.logSoftmax(logits, 1.0);
        // KL(p‖q) = Σ p (log p − log q); 0·log 0 taken as 0
        INDArray logP = Transforms.log(Transforms.max(teacher, Double.MIN_NORMAL, true), false);
        INDArray kl = teacher.mul(logP.subi(logQT)).sum(true, 1);
        INDArray ce = y.hardLabels().mul(logQ1).sum(true, 1).negi();
        return kl.muli(alpha * temperature * temperature).addi(ce.muli(1 - alpha));
    }

    @Override
    protected INDArray gradient(INDArray labels, INDArray logits) {
        SoftAndHardLabels y = SoftAndHardLabels.unpack(labels, numClasses);
        INDArray qT = TemperatureSoftmax.softmax(logits, temperature);
        INDArray q1 = TemperatureSoftmax.softmax(logits, 1.0);
        INDArray labelled = y.hardLabels().sum(true, 1);
        return qT.subi(y.teacherProbabilities()).muli(alpha * temperature)
                .addi(q1.muliColumnVector(labelled).subi(y.hardLabels()).muli(1 - alpha));
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
}
