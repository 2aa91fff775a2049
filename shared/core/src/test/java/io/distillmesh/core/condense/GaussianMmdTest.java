package io.distillmesh.core.condense;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Gaussian-kernel MMD of embeddings: its gradient against central finite differences in double precision, its
 * value against a direct sum over pairs, zero for identical sets.
 */
class GaussianMmdTest {
    private static INDArray gaussian(int rows, int cols, double shift, long seed) {
        Random rnd = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                a.putScalar(i, j, shift + rnd.nextGaussian());
            }
        }
        return a;
    }

    private static double loss(FeatureDiscrepancy d, INDArray real, INDArray synthetic) {
        return d.addGradient(real, synthetic, Nd4j.zeros(DataType.DOUBLE, synthetic.shape()));
    }

    @Test
    void gradientMatchesCentralFiniteDifferencesInDouble() {
        INDArray real = gaussian(9, 6, 0, 1);
        INDArray synthetic = gaussian(4, 6, 0.7, 2);
        GaussianMmd mmd = new GaussianMmd();
        INDArray gradient = Nd4j.zeros(DataType.DOUBLE, synthetic.shape());
        mmd.addGradient(real, synthetic, gradient);
        double h = 1e-6;
        for (int i = 0; i < synthetic.rows(); i++) {
            for (int j = 0; j < synthetic.columns(); j++) {
                double original = synthetic.getDouble(i, j);
                synthetic.putScalar(i, j, original + h);
                double plus = loss(mmd, real, synthetic);
                synthetic.putScalar(i, j, original - h);
                double minus = loss(mmd, real, synthetic);
                synthetic.putScalar(i, j, original);
                double numeric = (plus - minus) / (2 * h);
                double analytic = gradient.getDouble(i, j);
                assertEquals(numeric, analytic, 1e-7 * Math.max(1, Math.abs(numeric)),
                        "∂MMD/∂s[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void valueIsTheBandwidthScaledSumOverPairs() {
        INDArray real = gaussian(5, 3, 0, 3);
        INDArray synthetic = gaussian(2, 3, 1, 4);
        double[] realDistances = new double[10];
        int k = 0;
        for (int i = 0; i < 5; i++) {
            for (int j = i + 1; j < 5; j++) {
                realDistances[k++] = squaredDistance(real, i, real, j);
            }
        }
        java.util.Arrays.sort(realDistances);
        double bandwidth = (realDistances[4] + realDistances[5]) / 2;
        double ss = meanKernel(synthetic, synthetic, bandwidth);
        double rr = meanKernel(real, real, bandwidth);
        double sr = meanKernel(synthetic, real, bandwidth);
        assertEquals(bandwidth / 2 * (ss + rr - 2 * sr), loss(new GaussianMmd(), real, synthetic), 1e-12);
    }

    @Test
    void isZeroForASyntheticSetEqualToTheRealOne() {
        INDArray real = gaussian(6, 4, 0, 7);
        INDArray gradient = Nd4j.zeros(DataType.DOUBLE, 6, 4);
        assertEquals(0, new GaussianMmd().addGradient(real, real.dup(), gradient), 1e-12);
        assertEquals(0, gradient.norm2Number().doubleValue(), 1e-12);
    }

    @Test
    void refusesASingleRealImage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loss(new GaussianMmd(), gaussian(1, 4, 0, 8), gaussian(2, 4, 0, 9)));
        assertTrue(e.getMessage().contains("at least 2 real images"), e.getMessage());
    }

    private static double squaredDistance(INDArray a, int i, INDArray b, int j) {
        double sum = 0;
        for (int c = 0; c < a.columns(); c++) {
            double d = a.getDouble(i, c) - b.getDouble(j, c);
            sum += d * d;
        }
        return sum;
    }

    private static double meanKernel(INDArray a, INDArray b, double bandwidth) {
        double sum = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < b.rows(); j++) {
                sum += Math.exp(-squaredDistance(a, i, b, j) / bandwidth);
            }
        }
        return sum / (a.rows() * b.rows());
    }
}
