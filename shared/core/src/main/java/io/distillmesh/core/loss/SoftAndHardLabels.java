package io.distillmesh.core.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The labels {@link KnowledgeDistillationLoss} reads, for n samples and K classes: the teacher's probabilities at
 * temperature T {@code [n, K]} and the one-hot hard labels {@code [n, K]}, a row of zeros for a sample without a
 * label. DL4J hands a loss one labels array, so they travel packed side by side as {@code [n, 2K]}, teacher first.
 */
public record SoftAndHardLabels(INDArray teacherProbabilities, INDArray hardLabels) {
    public SoftAndHardLabels {
        if (teacherProbabilities.rank() != 2 || !Arrays.equals(teacherProbabilities.shape(), hardLabels.shape())) {
            throw new IllegalArgumentException("teacher probabilities and hard labels must both be [n, K], got "
                    + Arrays.toString(teacherProbabilities.shape()) + " and " + Arrays.toString(hardLabels.shape()));
        }
    }

    /** Views of the two halves of packed labels {@code [n, 2K]}. */
    public static SoftAndHardLabels unpack(INDArray packed, int numClasses) {
        requirePacked(packed, packed.size(0), numClasses);
        return new SoftAndHardLabels(
                packed.get(NDArrayIndex.all(), NDArrayIndex.interval(0, numClasses)),
                packed.get(NDArrayIndex.all(), NDArrayIndex.interval(numClasses, 2 * numClasses)));
    }

    /** Refuses anything but packed labels {@code [rows, 2K]}. */
    public static void requirePacked(INDArray labels, long rows, int numClasses) {
        if (labels.rank() != 2 || labels.size(1) != 2L * numClasses || labels.size(0) != rows) {
            throw new IllegalArgumentException("expected labels [" + rows + ", " + 2 * numClasses
                    + "] (teacher probabilities then hard labels), got " + Arrays.toString(labels.shape()));
        }
    }

    /** {@code [n, 2K]}: the teacher's probabilities in columns {@code 0..K-1}, the hard labels in {@code K..2K-1}. */
    public INDArray packed() {
        return Nd4j.hstack(teacherProbabilities, hardLabels);
    }
}
