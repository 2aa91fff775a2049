package io.distillmesh.core.engine;

import io.distillmesh.core.loss.KnowledgeDistillationLoss;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flat MLP trainer computes what DL4J computes: the same batch mean loss and gradient (double precision,
 * softmax cross-entropy and Hinton outputs, ReLU/tanh/sigmoid, one to three hidden layers), a gradient equal to
 * central finite differences, and steps of Adam and SGD that leave parameters, Adam's moments and the iteration
 * count where {@code fit} leaves them (float, the students' precision). Networks it cannot train are named.
 */
class MlpTrainerTest {
    private static final int IN = 12;
    private static final int K = 4;
    private static final int N = 9;

    @Test
    void lossAndGradientEqualDl4jsInDoublePrecision() {
        for (Activation hidden : new Activation[] {Activation.RELU, Activation.TANH, Activation.SIGMOID}) {
            for (boolean hinton : new boolean[] {false, true}) {
                for (int[] widths : new int[][] {{7}, {8, 5}, {6, 9, 5}}) {
                    MultiLayerNetwork net = network(DataType.DOUBLE, hidden, hinton, new Adam(1e-3), 0, widths);
                    DataSet batch = batch(DataType.DOUBLE, hinton, 3);
                    double[] gradient = new double[(int) net.numParams()];
                    double loss = MlpTrainer.of(net).lossAndGradient(batch.getFeatures(), batch.getLabels(), gradient);

                    net.setInput(batch.getFeatures());
                    net.setLabels(batch.getLabels());
                    net.computeGradientAndScore();
                    INDArray expected = net.gradient().gradient().dup().divi(N);
                    String what = hidden + (hinton ? " Hinton " : " softmax-CE ") + java.util.Arrays.toString(widths);
                    assertEquals(net.score(), loss, 1e-10 * Math.max(1, Math.abs(loss)), what);
                    for (int i = 0; i < gradient.length; i++) {
                        assertEquals(expected.getDouble(i), gradient[i], 1e-10, what + " parameter " + i);
                    }
                }
            }
        }
    }

    @Test
    void gradientEqualsFiniteDifferences() {
        for (boolean hinton : new boolean[] {false, true}) {
            MultiLayerNetwork net = network(DataType.DOUBLE, Activation.TANH, hinton, new Adam(1e-3), 0, 8, 6);
            DataSet batch = batch(DataType.DOUBLE, hinton, 5);
            MlpTrainer trainer = MlpTrainer.of(net);
            double[] gradient = new double[(int) net.numParams()];
            trainer.lossAndGradient(batch.getFeatures(), batch.getLabels(), gradient);
            double[] scratch = new double[gradient.length];
            INDArray params = net.params();
            double h = 1e-6;
            for (int i = 0; i < gradient.length; i++) {
                double keep = params.getDouble(i);
                params.putScalar(i, keep + h);
                double up = trainer.lossAndGradient(batch.getFeatures(), batch.getLabels(), scratch);
                params.putScalar(i, keep - h);
                double down = trainer.lossAndGradient(batch.getFeatures(), batch.getLabels(), scratch);
                params.putScalar(i, keep);
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, gradient[i], 1e-7 * Math.max(1, Math.abs(numeric)),
                        (hinton ? "Hinton" : "softmax-CE") + " parameter " + i);
            }
        }
    }

    @Test
    void stepsLeaveParametersMomentsAndIterationWhereFitDoes() {
        for (IUpdater updater : new IUpdater[] {new Adam(3e-3), new Sgd(0.05), new Nesterovs(0.05, 0.9)}) {
            for (boolean hinton : new boolean[] {false, true}) {
                // 400 wide: the updater's one block spans more parameters than a chunk of the optimizer loops
                MultiLayerNetwork viaFit = network(DataType.FLOAT, Activation.RELU, hinton, updater, 0, 400, 8);
                assertStepsAsFit(viaFit, updater.getClass().getSimpleName() + (hinton ? " Hinton" : " softmax-CE"),
                        hinton);
            }
        }
    }

    @Test
    void adamStepsWithTheirBlockSplitAcrossTwoThreadsStillLeaveParametersWhereFitDoes() {
        int previous = Nd4j.getEnvironment().maxThreads();
        Nd4j.getEnvironment().setMaxThreads(2);
        try {
            // 12 × 6,000 weights: 18 chunks of 4,096, two ranges of the optimizer's loop on two threads
            assertEquals(2, ParallelRanges.ranges(18, 4096, 2));
            assertStepsAsFit(network(DataType.FLOAT, Activation.RELU, false, new Adam(3e-3), 0, 6000),
                    "Adam on two threads", false);
        } finally {
            Nd4j.getEnvironment().setMaxThreads(previous);
        }
    }

    @Test
    void l2AndWeightDecayStepsLeaveParametersAndLossWhereFitDoes() {
        for (IUpdater updater : new IUpdater[] {new Adam(3e-3), new Nesterovs(0.05, 0.9)}) {
            NeuralNetConfiguration.Builder conf = configuration(DataType.FLOAT, updater).l2(0.02).l2Bias(0.01);
            assertStepsAsFit(network(conf, Activation.RELU, false, 0, 400, 8),
                    updater.getClass().getSimpleName() + " with L2", false);
            conf = configuration(DataType.FLOAT, updater).weightDecay(0.05).weightDecayBias(0.02, false);
            assertStepsAsFit(network(conf, Activation.RELU, true, 0, 400, 8),
                    updater.getClass().getSimpleName() + " with weight decay", true);
        }
    }

    private static void assertStepsAsFit(MultiLayerNetwork viaFit, String what, boolean hinton) {
        assertTrue(viaFit.numParams() > 2 * 4096, "parameters: " + viaFit.numParams());
        MultiLayerNetwork viaEngine = viaFit.clone();
        MlpTrainer trainer = MlpTrainer.of(viaEngine);
        for (int step = 0; step < 5; step++) {
            DataSet batch = batch(DataType.FLOAT, hinton, 10 + step);
            viaFit.fit(batch);
            double loss = trainer.step(batch.getFeatures(), batch.getLabels());
            assertEquals(viaFit.score(), loss, 1e-5 * Math.max(1, Math.abs(loss)), what + " loss of step " + step);
        }
        assertClose(viaFit.params(), viaEngine.params(), 2e-5, what + " parameters");
        if (viaFit.getUpdater().getStateViewArray() != null) {
            assertClose(viaFit.getUpdater().getStateViewArray(), viaEngine.getUpdater().getStateViewArray(),
                    2e-5, what + " optimizer state");
        }
        assertEquals(viaFit.getIterationCount(), viaEngine.getIterationCount(), what + " iteration count");
        assertEquals(5, viaEngine.getIterationCount());
        INDArray x = batch(DataType.FLOAT, hinton, 99).getFeatures();
        assertClose(viaFit.output(x), trainer.output(x), 1e-4, what + " outputs");
    }

    @Test
    void dropoutMasksTrainingPassesOnlyAndStillLearns() {
        MultiLayerNetwork net = network(DataType.FLOAT, Activation.RELU, false, new Adam(1e-2), 0.5, 32);
        MultiLayerNetwork viaFit = net.clone();
        MlpTrainer trainer = MlpTrainer.of(net);
        DataSet batch = batch(DataType.FLOAT, false, 21);
        double[] first = new double[(int) net.numParams()];
        double[] second = new double[first.length];
        trainer.lossAndGradient(batch.getFeatures(), batch.getLabels(), first);
        trainer.lossAndGradient(batch.getFeatures(), batch.getLabels(), second);
        assertFalse(java.util.Arrays.equals(first, second), "two training passes should draw different masks");
        double before = net.score(batch, false);
        for (int i = 0; i < 300; i++) {
            trainer.step(batch.getFeatures(), batch.getLabels());
            viaFit.fit(batch);
        }
        double after = net.score(batch, false);
        double afterFit = viaFit.score(batch, false);
        assertTrue(after < 0.5 * before, "loss without dropout should fall: " + before + " → " + after);
        assertTrue(after < 2 * afterFit + 0.05 && afterFit < 2 * after + 0.05,
                "dropout training should land near DL4J's: " + after + " vs fit's " + afterFit);
        assertClose(net.output(batch.getFeatures()), trainer.output(batch.getFeatures()), 1e-4, "inference output");
        assertClose(trainer.output(batch.getFeatures()), trainer.output(batch.getFeatures()), 0, "repeat inference");
    }

    @Test
    void namesWhatItCannotTrain() {
        MultiLayerNetwork rmsProp = network(DataType.FLOAT, Activation.RELU, false, new RmsProp(1e-3), 0, 8);
        assertTrue(MlpTrainer.unsupported(rmsProp).orElseThrow().contains("RmsProp"));
        MultiLayerNetwork lasso = network(configuration(DataType.FLOAT, new Adam(1e-3)).l1(1e-3), Activation.RELU,
                false, 0, 8);
        assertEquals("layer0.W has L1Regularization (L2 and weight decay only)",
                MlpTrainer.unsupported(lasso).orElseThrow());
        MultiLayerConfiguration conv = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(K)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(5, 5, 1)).build();
        MultiLayerNetwork cnn = new MultiLayerNetwork(conv);
        cnn.init();
        assertTrue(MlpTrainer.unsupported(cnn).isPresent());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> MlpTrainer.of(cnn));
        assertTrue(refused.getMessage().contains("cannot train"), refused.getMessage());
        TrainingStep fallback = TrainingStep.of(cnn, "the test's CNN");
        assertTrue(fallback.path().startsWith("dl4j (as a dense network: layer 0 is a ConvolutionLayer"),
                fallback.path());
        INDArray images = Nd4j.rand(DataType.FLOAT, 3, 25);
        INDArray labels = Nd4j.eye(K).getRows(0, 1, 2).castTo(DataType.FLOAT);
        assertTrue(Double.isFinite(fallback.step(images, labels)));
        assertEquals(1, cnn.getIterationCount(), "DL4J's fit took the step");
        assertEquals(TrainingStep.ENGINE, TrainingStep.of(network(DataType.FLOAT, Activation.RELU, false,
                new Adam(1e-3), 0.2, 8), "a dense net").path());
        assertFalse(MlpTrainer.unsupported(network(DataType.FLOAT, Activation.RELU, true, new Adam(1e-3), 0, 8))
                .isPresent());
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        INDArray e = expected.castTo(DataType.DOUBLE).reshape(expected.length());
        INDArray a = actual.castTo(DataType.DOUBLE).reshape(actual.length());
        assertEquals(e.length(), a.length(), what);
        for (long i = 0; i < e.length(); i++) {
            double x = e.getDouble(i);
            assertEquals(x, a.getDouble(i), tolerance * Math.max(1, Math.abs(x)), what + " at " + i);
        }
    }

    private static MultiLayerNetwork network(DataType dataType, Activation hidden, boolean hinton, IUpdater updater,
                                             double dropout, int... widths) {
        return network(configuration(dataType, updater), hidden, hinton, dropout, widths);
    }

    private static NeuralNetConfiguration.Builder configuration(DataType dataType, IUpdater updater) {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(dataType).updater(updater)
                .weightInit(WeightInit.XAVIER);
    }

    private static MultiLayerNetwork network(NeuralNetConfiguration.Builder configuration, Activation hidden,
                                             boolean hinton, double dropout, int... widths) {
        NeuralNetConfiguration.ListBuilder list = configuration.list();
        int in = IN;
        for (int w : widths) {
            DenseLayer.Builder layer = new DenseLayer.Builder().nIn(in).nOut(w).activation(hidden);
            if (dropout > 0) {
                layer.dropOut(1 - dropout);
            }
            list.layer(layer.build());
            in = w;
        }
        ILossFunction loss = hinton ? new KnowledgeDistillationLoss(3.0, 0.7, K) : LossFunctions.LossFunction.MCXENT.getILossFunction();
        list.layer(new OutputLayer.Builder(loss).nIn(in).nOut(K)
                .activation(hinton ? Activation.IDENTITY : Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static DataSet batch(DataType dataType, boolean hinton, long seed) {
        INDArray[] batch = LabelledBatches.of(N, IN, K, hinton, seed, dataType);
        return new DataSet(batch[0], batch[1]);
    }
}
