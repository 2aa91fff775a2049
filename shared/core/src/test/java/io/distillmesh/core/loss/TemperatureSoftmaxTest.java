package io.distillmesh.core.loss;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemperatureSoftmaxTest {

    @ParameterizedTest(name = "softmax([2,7,10] / {0})")
    @CsvSource({
            "1, 0.00032, 0.04741, 0.95227",
            "5, 0.11532, 0.31348, 0.57120",
            "10, 0.20516, 0.33825, 0.45659",
            "20, 0.26484, 0.34006, 0.39510"})
    void matchesReferenceValues(double t, double p0, double p1, double p2) {
        double[] expected = {p0, p1, p2};
        assertArrayEquals(expected, TemperatureSoftmax.softmax(new double[]{2, 7, 10}, t), 5e-6);
        INDArray nd = TemperatureSoftmax.softmax(Nd4j.createFromArray(new double[][]{{2, 7, 10}}), t);
        assertArrayEquals(expected, nd.toDoubleVector(), 5e-6);
    }

    @Test
    void staysFiniteForHugeLogits() {
        INDArray logits = Nd4j.createFromArray(new float[][]{{1000f, 999f, -1000f}});
        INDArray p = TemperatureSoftmax.softmax(logits, 1.0);
        assertEquals(1.0, p.sumNumber().doubleValue(), 1e-6);
        assertEquals(1 / (1 + Math.exp(-1)), p.getDouble(0, 0), 1e-6);
        assertTrue(Double.isFinite(TemperatureSoftmax.logSoftmax(logits, 1.0).getDouble(0, 2)));
    }

    @Test
    void retemperingLogProbsReproducesTheTeachersSoftmaxAtAnyTemperature() {
        Random rnd = new Random(7);
        float[][] z = new float[64][10];
        for (float[] row : z) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) (rnd.nextGaussian() * 6);
            }
        }
        INDArray logits = Nd4j.createFromArray(z);
        for (double t : new double[]{1, 2, 4, 8, 20}) {
            INDArray logProbsAtT = TemperatureSoftmax.logSoftmax(logits, t);
            for (double tPrime : new double[]{0.5, 1, 3, 8, 20}) {
                INDArray fromStream = TemperatureSoftmax.retemper(logProbsAtT, t, tPrime);
                INDArray direct = TemperatureSoftmax.softmax(logits, tPrime);
                double maxDiff = fromStream.sub(direct).amaxNumber().doubleValue();
                assertTrue(maxDiff < 1e-5, "T=" + t + " -> T'=" + tPrime + " differs by " + maxDiff);
            }
        }
    }

    @Test
    void refusesNonPositiveTemperature() {
        INDArray logits = Nd4j.zeros(DataType.FLOAT, 1, 3);
        assertThrows(IllegalArgumentException.class, () -> TemperatureSoftmax.softmax(logits, 0));
        assertThrows(IllegalArgumentException.class, () -> TemperatureSoftmax.softmax(new double[]{1}, -1));
    }
}
