package io.distillmesh.core.train;

import io.distillmesh.core.data.FloatArrays;
import io.distillmesh.core.loss.KnowledgeDistillationLoss;
import io.distillmesh.core.loss.TemperatureSoftmax;
import io.distillmesh.core.specialist.ClassReduction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Arrays;

/**
 * Collects streamed samples (input, label or −1, teacher log-probabilities at the teacher's T) into one
 * minibatch for a student at its own temperature T': the teacher's distribution is re-tempered to T'
 * and laid out as {@link KnowledgeDistillationLoss} expects.
 */
public final class SoftBatchBuilder {
    private final int capacity;
    private final int features;
    private final int classes;
    private final double studentTemperature;
    private final float[] inputs;
    private final float[] logProbs;
    private final float[] hard;
    private final float[] teacherTemperatures;
    private final ClassReduction reduction;
    private int size;

    public SoftBatchBuilder(int capacity, int features, int classes, double studentTemperature) {
        this(capacity, features, classes, studentTemperature, null);
    }

    /**
     * A builder for a specialist: samples arrive over the generalist's {@code classes}; the batch's soft targets
     * (re-tempered first, then merged) and hard labels are over {@code reduction}'s classes plus the dustbin.
     */
    public SoftBatchBuilder(int capacity, int features, int classes, double studentTemperature, ClassReduction reduction) {
        if (reduction != null && reduction.fullClasses() != classes) {
            throw new IllegalArgumentException("the reduction is of " + reduction.fullClasses() + " classes, samples have "
                    + classes);
        }
        this.reduction = reduction;
        this.capacity = capacity;
        this.features = features;
        this.classes = classes;
        this.studentTemperature = studentTemperature;
        this.inputs = new float[capacity * features];
        this.logProbs = new float[capacity * classes];
        this.hard = new float[capacity * classes];
        this.teacherTemperatures = new float[capacity];
    }

    public void add(float[] input, int label, float[] teacherLogProbs, float teacherTemperature) {
        if (input.length != features || teacherLogProbs.length != classes) {
            throw new IllegalArgumentException("sample has " + input.length + " features and " + teacherLogProbs.length
                    + " classes; the student expects " + features + " and " + classes);
        }
        if (isFull()) {
            throw new IllegalStateException("batch is full");
        }
        System.arraycopy(input, 0, inputs, size * features, features);
        System.arraycopy(teacherLogProbs, 0, logProbs, size * classes, classes);
        Arrays.fill(hard, size * classes, (size + 1) * classes, 0f);
        if (label >= 0) {
            hard[size * classes + label] = 1f;
        }
        teacherTemperatures[size] = teacherTemperature;
        size++;
    }

    public boolean isFull() {
        return size == capacity;
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    public DataSet build() {
        INDArray x = FloatArrays.of(inputs, size, features);
        INDArray logP = FloatArrays.of(logProbs, size, classes);
        INDArray teacherT = FloatArrays.of(teacherTemperatures, size, 1);
        INDArray soft = TemperatureSoftmax.softmax(logP.muliColumnVector(teacherT), studentTemperature);
        INDArray y = FloatArrays.of(hard, size, classes);
        if (reduction != null) {
            return new DataSet(x, KnowledgeDistillationLoss.labels(reduction.reduce(soft), reduction.reduce(y)));
        }
        return new DataSet(x, KnowledgeDistillationLoss.labels(soft, y));
    }
}
