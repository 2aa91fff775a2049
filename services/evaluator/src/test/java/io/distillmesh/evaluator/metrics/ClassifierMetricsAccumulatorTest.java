package io.distillmesh.evaluator.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassifierMetricsAccumulatorTest {
    private static final double LN2 = Math.log(2);

    private static float[] logits(double... probabilities) {
        float[] z = new float[probabilities.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) Math.log(probabilities[i]);
        }
        return z;
    }

    private static double[] logProbs(double... probabilities) {
        double[] out = new double[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.log(probabilities[i]);
        }
        return out;
    }

    @Test
    void accuracyCrossEntropyAgreementAndKlMatchHandComputedValues() {
        ClassifierMetricsAccumulator acc = new ClassifierMetricsAccumulator(3);
        // model q = (1/4, 1/2, 1/4), label 1: right, CE = ln 2; teacher p = (1/2, 1/4, 1/4): top-1 differs,
        // KL(p‖q) = 1/2 ln 2 + 1/4 ln(1/2) + 1/4 ln 1 = ln 2 / 4
        acc.add(logits(0.25, 0.5, 0.25), 1, logProbs(0.5, 0.25, 0.25));
        // model q = (1/2, 1/4, 1/4), label 2: wrong, CE = ln 4; teacher p = q: agrees, KL = 0
        acc.add(logits(0.5, 0.25, 0.25), 2, logProbs(0.5, 0.25, 0.25));
        ClassifierMetrics m = acc.result();
        assertEquals(2, m.samples());
        assertEquals(0.5, m.accuracy(), 1e-12);
        assertTrue(Double.isNaN(m.perClassAccuracy()[0]), "class 0 had no test images");
        assertEquals(1.0, m.perClassAccuracy()[1], 1e-12);
        assertEquals(0.0, m.perClassAccuracy()[2], 1e-12);
        assertEquals((LN2 + 2 * LN2) / 2, m.crossEntropy(), 1e-6);
        assertEquals(0.5, m.teacherAgreement(), 1e-12);
        assertEquals((LN2 / 4) / 2, m.klTeacherSubject(), 1e-6);
    }

    @Test
    void aModelComparedWithItselfAgreesEverywhereWithZeroKl() {
        ClassifierMetricsAccumulator acc = new ClassifierMetricsAccumulator(4);
        float[][] rows = {{3f, -1f, 0.5f, 2f}, {-4f, 7f, 7.5f, 0f}, {0f, 0f, 0f, 1f}};
        for (int i = 0; i < rows.length; i++) {
            acc.add(rows[i], i, ClassifierMetricsAccumulator.logSoftmax(rows[i]));
        }
        assertEquals(1.0, acc.result().teacherAgreement());
        assertEquals(0.0, acc.result().klTeacherSubject());
    }

    @Test
    void logSoftmaxIsStableForHugeLogitsAndNormalised() {
        double[] logQ = ClassifierMetricsAccumulator.logSoftmax(new float[]{1000f, 0f, -1000f});
        assertEquals(0.0, logQ[0], 1e-12);
        assertEquals(-1000.0, logQ[1], 1e-9);
        double[] even = ClassifierMetricsAccumulator.logSoftmax(new float[]{2f, 2f});
        assertArrayEquals(new double[]{-LN2, -LN2}, even, 1e-12);
    }

    @Test
    void refusesRowsOfTheWrongWidthAndLabelsOutOfRange() {
        ClassifierMetricsAccumulator acc = new ClassifierMetricsAccumulator(3);
        assertThrows(IllegalArgumentException.class, () -> acc.add(new float[2], 0, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> acc.add(new float[3], 3, new double[3]));
        assertThrows(IllegalStateException.class, acc::result);
    }
}
