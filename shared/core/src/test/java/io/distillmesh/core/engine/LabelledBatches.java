package io.distillmesh.core.engine;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Random batches for the engine's tests: {features, labels}. */
final class LabelledBatches {
    private LabelledBatches() {
    }

    /**
     * {@code rows} rows of {@code features} values in [0, 1); one-hot labels of {@code classes} classes, or for the
     * Hinton loss teacher probabilities then a one-hot label, every third row (2, 5, …) unlabelled.
     */
    static INDArray[] of(int rows, int features, int classes, boolean hinton, long seed, DataType dataType) {
        Random random = new Random(seed);
        double[] x = new double[rows * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble();
        }
        int columns = hinton ? 2 * classes : classes;
        double[] y = new double[rows * columns];
        for (int r = 0; r < rows; r++) {
            int label = random.nextInt(classes);
            if (hinton) {
                double sum = 0;
                double[] p = new double[classes];
                for (int c = 0; c < classes; c++) {
                    p[c] = Math.exp(2 * random.nextGaussian());
                    sum += p[c];
                }
                for (int c = 0; c < classes; c++) {
                    y[r * columns + c] = p[c] / sum;
                }
                if (r % 3 != 2) {
                    y[r * columns + classes + label] = 1;
                }
            } else {
                y[r * columns + label] = 1;
            }
        }
        return new INDArray[]{Nd4j.create(x, new long[]{rows, features}, DataType.DOUBLE).castTo(dataType),
                Nd4j.create(y, new long[]{rows, columns}, DataType.DOUBLE).castTo(dataType)};
    }
}
