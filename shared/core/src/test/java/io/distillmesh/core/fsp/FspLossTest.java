package io.distillmesh.core.fsp;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FspLossTest {
    @Test
    void gradientMatchesCentralFiniteDifferencesInDoublePrecision() {
        Random rnd = new Random(5);
        for (int[] shape : new int[][]{{2, 3, 4}, {3, 3, 9}, {1, 4, 2}}) {
            int c1 = shape[0];
            int c2 = shape[1];
            int positions = shape[2];
            FspLoss loss = new FspLoss(0.7, c1, c2, positions);
            INDArray features = random(rnd, 3, (c1 + c2) * positions);
            INDArray teacher = random(rnd, 3, c1 * c2);
            INDArray analytic = loss.computeGradient(teacher, features, new ActivationIdentity(), null);
            double h = 1e-6;
            double maxRel = 0;
            for (int i = 0; i < features.rows(); i++) {
                for (int j = 0; j < features.columns(); j++) {
                    INDArray plus = features.dup();
                    plus.putScalar(i, j, features.getDouble(i, j) + h);
                    INDArray minus = features.dup();
                    minus.putScalar(i, j, features.getDouble(i, j) - h);
                    double numeric = (loss.computeScore(teacher, plus, new ActivationIdentity(), null, false)
                            - loss.computeScore(teacher, minus, new ActivationIdentity(), null, false)) / (2 * h);
                    double a = analytic.getDouble(i, j);
                    maxRel = Math.max(maxRel, Math.abs(a - numeric) / Math.max(1e-8, Math.abs(a) + Math.abs(numeric)));
                }
            }
            assertTrue(maxRel <= 1e-4, "shape " + c1 + "x" + c2 + "x" + positions + ": max relative error " + maxRel);
        }
    }

    @Test
    void matchesAHandComputedValue() {
        // F1: 2 channels, F2: 1 channel, 2 positions. F1 = [[1, 2], [0, 3]], F2 = [[3, 4]]
        // G = F1·F2ᵀ / 2 = [(3 + 8) / 2, (0 + 12) / 2] = [5.5, 6]; teacher [5, 8]; loss = 0.5·(0.25 + 4)
        INDArray features = Nd4j.createFromArray(new double[][]{{1, 2, 0, 3, 3, 4}});
        INDArray teacher = Nd4j.createFromArray(new double[][]{{5, 8}});
        FspLoss loss = new FspLoss(0.5, 2, 1, 2);
        assertEquals(0.5 * (0.25 + 4), loss.computeScore(teacher, features, new ActivationIdentity(), null, true), 1e-12);
        assertArrayEquals(new double[]{5.5, 6}, loss.studentMatrices(features).reshape(2).toDoubleVector(), 1e-12);
        INDArray f1 = Nd4j.createFromArray(new double[]{1, 2, 0, 3}).reshape(1, 2, 1, 2);
        INDArray f2 = Nd4j.createFromArray(new double[]{3, 4}).reshape(1, 1, 1, 2);
        assertArrayEquals(new double[]{5.5, 6}, FspMatrix.compute(f1, f2).reshape(2).toDoubleVector(), 1e-12);
    }

    @Test
    void refusesMismatchedShapesWithTheReason() {
        FspLoss loss = new FspLoss(1, 2, 3, 4);
        INDArray wrongWidth = Nd4j.zeros(DataType.DOUBLE, 2, 19);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loss.computeScore(Nd4j.zeros(DataType.DOUBLE, 2, 6), wrongWidth, new ActivationIdentity(), null, true));
        assertTrue(e.getMessage().contains("[n, 20]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FspMatrix.compute(Nd4j.zeros(1, 2, 4, 4),
                Nd4j.zeros(1, 2, 2, 2)));
        assertTrue(e.getMessage().contains("equal spatial size"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FspLoss(0, 2, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> new FspPair("stage1", "stage1"));
    }

    @Test
    void theLossAsEarlierModelFilesHoldItStillLoads() throws Exception {
        String saved = "{\"@class\" : \"io.distillmesh.core.fsp.FspLoss\", \"firstChannels\" : 2, \"lambda\" : 0.5,"
                + " \"positions\" : 4, \"secondChannels\" : 3}";
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ILossFunction loaded = mapper.readValue(saved, ILossFunction.class);
        assertEquals(new FspLoss(0.5, 2, 3, 4), loaded);
        assertEquals(mapper.readTree(saved), mapper.readTree(mapper.writeValueAsString(loaded)),
                "written the same way");
    }

    private static INDArray random(Random rnd, int rows, int cols) {
        double[][] v = new double[rows][cols];
        for (double[] row : v) {
            for (int j = 0; j < cols; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return Nd4j.createFromArray(v);
    }
}
