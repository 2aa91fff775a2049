package io.distillmesh.core.engine;

import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convolutional trainer takes the steps DL4J's {@code fit} takes (parameters, Adam's moments, iteration count,
 * loss) on a small LeNet-shaped network, and {@link TrainingStep} sends such a network its way; dropout, which
 * its layer passes do not apply, sends it to DL4J instead.
 */
class ConvNetTrainerTest {
    private static final int SIDE = 10;
    private static final int K = 4;
    private static final int N = 12;

    @Test
    void stepsLeaveParametersMomentsAndIterationWhereFitDoes() {
        MultiLayerNetwork viaFit = network(0);
        MultiLayerNetwork viaEngine = viaFit.clone();
        TrainingStep step = TrainingStep.of(viaEngine, "the test's CNN");
        assertEquals(TrainingStep.ENGINE_CONV, step.path());
        for (int s = 0; s < 4; s++) {
            DataSet batch = batch(s);
            viaFit.fit(batch);
            double loss = step.step(batch.getFeatures(), batch.getLabels());
            assertEquals(viaFit.score(), loss, 1e-4, "loss of step " + s);
        }
        assertClose(viaFit.params(), viaEngine.params(), "parameters");
        assertClose(viaFit.getUpdater().getStateViewArray(), viaEngine.getUpdater().getStateViewArray(), "Adam moments");
        assertEquals(4, viaEngine.getIterationCount());
        assertEquals(viaFit.getIterationCount(), viaEngine.getIterationCount());
    }

    @Test
    void aNetworkWithDropoutGoesToDl4j() {
        MultiLayerNetwork net = network(0.5);
        assertTrue(ConvNetTrainer.unsupported(net).orElseThrow().contains("dropout")
                || ConvNetTrainer.unsupported(net).orElseThrow().contains("Dropout"),
                ConvNetTrainer.unsupported(net).orElseThrow());
        assertTrue(TrainingStep.of(net, "a CNN with dropout").path().startsWith("dl4j ("));
    }

    @Test
    void theSettingSendsEveryNetworkToDl4jAndRefusesUnknownPaths() {
        String before = System.getProperty(TrainingPath.PROPERTY);
        try {
            System.setProperty(TrainingPath.PROPERTY, "DL4J");
            assertEquals("dl4j (set to dl4j by dm.training / DM_TRAINING)", TrainingStep.of(network(0), "a CNN").path());
            System.setProperty(TrainingPath.PROPERTY, "pytorch");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> TrainingStep.of(network(0), "a CNN"));
            assertEquals("system property dm.training must be engine or dl4j, got 'pytorch'", e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(TrainingPath.PROPERTY);
            } else {
                System.setProperty(TrainingPath.PROPERTY, before);
            }
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        INDArray e = expected.castTo(DataType.DOUBLE).reshape(expected.length());
        INDArray a = actual.castTo(DataType.DOUBLE).reshape(actual.length());
        for (long i = 0; i < e.length(); i++) {
            double x = e.getDouble(i);
            assertEquals(x, a.getDouble(i), 5e-5 * Math.max(1, Math.abs(x)), what + " at " + i);
        }
    }

    private static MultiLayerNetwork network(double dropout) {
        DenseLayer.Builder dense = new DenseLayer.Builder().nOut(6).activation(Activation.RELU);
        if (dropout > 0) {
            dense.dropOut(1 - dropout);
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .updater(new Adam(5e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(dense.build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(K)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(SIDE, SIDE, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DataSet batch(long seed) {
        Random random = new Random(seed);
        float[] x = new float[N * SIDE * SIDE];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        float[] y = new float[N * K];
        for (int r = 0; r < N; r++) {
            y[r * K + random.nextInt(K)] = 1;
        }
        return new DataSet(Nd4j.create(x, new long[] {N, SIDE * SIDE}), Nd4j.create(y, new long[] {N, K}));
    }
}
