package io.distillmesh.core.engine;

import io.distillmesh.core.loss.KnowledgeDistillationLoss;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The engine's Hinton loss equals the DL4J loss the students use (score and gradient, whose batch mean DL4J takes
 * in the output layer), and its gradient equals central finite differences, in double precision; labelled and
 * unlabelled rows, T = 1 and T = 4, α = 0, 0.5, 1.
 */
class HintonLossTest {
    private static final int N = 6;
    private static final int K = 5;

    @Test
    void lossAndGradientMatchTheDl4jLossAndFiniteDifferences() {
        for (double t : new double[] {1, 4}) {
            for (double alpha : new double[] {0, 0.5, 1}) {
                Random random = new Random(7);
                double[] z = new double[N * K];
                for (int i = 0; i < z.length; i++) {
                    z[i] = 3 * random.nextGaussian();
                }
                double[] targets = targets(random);
                HintonLoss loss = new HintonLoss(t, alpha, K);
                double[] gradient = new double[N * K];
                double value = loss.lossAndGradient(z, targets, N, gradient);

                KnowledgeDistillationLoss dl4j = new KnowledgeDistillationLoss(t, alpha, K);
                INDArray logits = Nd4j.create(z, new long[] {N, K}, DataType.DOUBLE);
                INDArray labels = Nd4j.create(targets, new long[] {N, 2 * K}, DataType.DOUBLE);
                assertEquals(dl4j.computeScore(labels, logits, new ActivationIdentity(), null, true), value, 1e-12);
                INDArray expected = dl4j.computeGradient(labels, logits, new ActivationIdentity(), null).divi(N);
                for (int i = 0; i < gradient.length; i++) {
                    assertEquals(expected.getDouble(i / K, i % K), gradient[i], 1e-12, "T=" + t + " α=" + alpha);
                }

                double h = 1e-6;
                double[] scratch = new double[N * K];
                for (int i = 0; i < z.length; i++) {
                    double keep = z[i];
                    z[i] = keep + h;
                    double up = loss.lossAndGradient(z, targets, N, scratch);
                    z[i] = keep - h;
                    double down = loss.lossAndGradient(z, targets, N, scratch);
                    z[i] = keep;
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, gradient[i], 1e-6 * Math.max(1, Math.abs(numeric)),
                            "dL/dz[" + i + "] T=" + t + " α=" + alpha);
                }
            }
        }
    }

    @Test
    void theFloatPathAgreesWithTheDoublePath() {
        Random random = new Random(11);
        double[] z = new double[N * K];
        float[] zf = new float[N * K];
        for (int i = 0; i < z.length; i++) {
            zf[i] = (float) (2 * random.nextGaussian());
            z[i] = zf[i];
        }
        double[] targets = targets(random);
        float[] targetsF = new float[targets.length];
        for (int i = 0; i < targets.length; i++) {
            targetsF[i] = (float) targets[i];
            targets[i] = targetsF[i];
        }
        HintonLoss loss = new HintonLoss(4, 0.7, K);
        double[] g = new double[N * K];
        float[] gf = new float[N * K];
        assertEquals(loss.lossAndGradient(z, targets, N, g), loss.lossAndGradient(zf, targetsF, N, gf), 1e-12);
        for (int i = 0; i < g.length; i++) {
            assertEquals(g[i], gf[i], 1e-7);
        }
    }

    @Test
    void refusesImpossibleSettings() {
        assertThrows(IllegalArgumentException.class, () -> new HintonLoss(0, 0.5, K));
        assertThrows(IllegalArgumentException.class, () -> new HintonLoss(2, 1.5, K));
        assertThrows(IllegalArgumentException.class, () -> new HintonLoss(2, 0.5, 1));
    }

    /** Teacher probabilities (one row with an exact zero) and labels; rows 1 and 4 are unlabelled. */
    private static double[] targets(Random random) {
        double[] targets = new double[N * 2 * K];
        for (int r = 0; r < N; r++) {
            double sum = 0;
            for (int c = 0; c < K; c++) {
                double p = r == 2 && c == 0 ? 0 : Math.exp(random.nextGaussian());
                targets[r * 2 * K + c] = p;
                sum += p;
            }
            for (int c = 0; c < K; c++) {
                targets[r * 2 * K + c] /= sum;
            }
            if (r != 1 && r != 4) {
                targets[r * 2 * K + K + random.nextInt(K)] = 1;
            }
        }
        return targets;
    }
}
