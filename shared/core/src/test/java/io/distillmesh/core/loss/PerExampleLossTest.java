package io.distillmesh.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PerExampleLossTest {
    /** ½·Σ(a − y)² per example. */
    private static final class HalfSquaredError extends PerExampleLoss {
        @Override
        protected void validate(INDArray labels, INDArray preOutput) {
            if (!labels.equalShapes(preOutput)) {
                throw new IllegalArgumentException("labels and outputs differ in shape");
            }
        }

        @Override
        protected INDArray scorePerExample(INDArray labels, INDArray activations) {
            INDArray d = activations.sub(labels);
            return d.muli(d).sum(true, 1).muli(0.5);
        }

        @Override
        protected INDArray gradient(INDArray labels, INDArray activations) {
            return activations.sub(labels);
        }
    }

    private static final INDArray Y = Nd4j.createFromArray(new double[][]{{1, 0}, {0, 0}, {2, 2}});
    private static final INDArray Z = Nd4j.createFromArray(new double[][]{{0, 0}, {1, 1}, {2, 0}});
    private static final INDArray MASK = Nd4j.createFromArray(new double[][]{{1}, {0}, {1}});

    @Test
    void sumsOrAveragesThePerExampleScoresAndMasksExamplesOut() {
        HalfSquaredError loss = new HalfSquaredError();
        ActivationIdentity identity = new ActivationIdentity();
        assertArrayEquals(new double[]{0.5, 1, 2}, loss.computeScoreArray(Y, Z, identity, null).toDoubleVector());
        assertArrayEquals(new double[]{0.5, 0, 2}, loss.computeScoreArray(Y, Z, identity, MASK).toDoubleVector());
        assertEquals(3.5, loss.computeScore(Y, Z, identity, null, false), 1e-12);
        assertEquals(2.5 / 3, loss.computeScore(Y, Z, identity, MASK, true), 1e-12);
        assertEquals(Nd4j.createFromArray(new double[][]{{-1, 0}, {0, 0}, {0, -2}}),
                loss.computeGradient(Y, Z, identity, MASK));
        assertEquals(2.5, loss.computeGradientAndScore(Y, Z, identity, MASK, false).getFirst(), 1e-12);
    }

    @Test
    void takesTheGradientBackThroughTheActivation() {
        HalfSquaredError loss = new HalfSquaredError();
        INDArray a = Transforms.tanh(Z, true);
        INDArray expected = a.sub(Y).muli(a.mul(a).rsubi(1));
        assertEquals(expected, loss.computeGradient(Y, Z, new ActivationTanH(), null));
        assertEquals(loss.computeScoreArray(Y, a, new ActivationIdentity(), null),
                loss.computeScoreArray(Y, Z, new ActivationTanH(), null));
    }

    @Test
    void validatesBeforeComputing() {
        HalfSquaredError loss = new HalfSquaredError();
        INDArray wide = Nd4j.zeros(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loss.computeScore(wide, Z, new ActivationIdentity(), null, true));
        assertEquals("labels and outputs differ in shape", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> loss.computeGradient(wide, Z, new ActivationIdentity(), null));
        assertEquals("labels and outputs differ in shape", e.getMessage());
    }
}
