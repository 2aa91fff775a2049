package io.distillmesh.core.loss;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.File;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnowledgeDistillationLossTest {
    private static final int K = 5;

    @Test
    void gradientMatchesCentralFiniteDifferencesInDoublePrecision() {
        Random rnd = new Random(11);
        for (double[] ta : new double[][]{{1, 0.5}, {4, 0.9}, {20, 0.1}, {2, 1.0}, {3, 0.0}}) {
            KnowledgeDistillationLoss loss = new KnowledgeDistillationLoss(ta[0], ta[1], K);
            INDArray z = randomLogits(rnd, 6);
            INDArray labels = labels(rnd, 6, ta[0], true);
            INDArray analytic = loss.computeGradient(labels, z, new ActivationIdentity(), null);
            double h = 1e-5;
            double maxRel = 0;
            for (int i = 0; i < z.rows(); i++) {
                for (int j = 0; j < K; j++) {
                    INDArray plus = z.dup();
                    plus.putScalar(i, j, z.getDouble(i, j) + h);
                    INDArray minus = z.dup();
                    minus.putScalar(i, j, z.getDouble(i, j) - h);
                    double numeric = (loss.computeScore(labels, plus, new ActivationIdentity(), null, false)
                            - loss.computeScore(labels, minus, new ActivationIdentity(), null, false)) / (2 * h);
                    double a = analytic.getDouble(i, j);
                    double rel = Math.abs(a - numeric) / Math.max(1e-6, Math.abs(a) + Math.abs(numeric));
                    maxRel = Math.max(maxRel, rel);
                }
            }
            assertTrue(maxRel < 1e-5, "T=" + ta[0] + " alpha=" + ta[1] + " max relative error " + maxRel);
        }
    }

    @Test
    void matchesTheFormulaOnAHandCase() {
        double t = 5;
        double alpha = 0.7;
        double[] studentLogits = {2, 7, 10};
        double[] teacherAtT = {0.2, 0.3, 0.5};
        int label = 1;
        double[] qT = TemperatureSoftmax.softmax(studentLogits, t);
        double[] q1 = TemperatureSoftmax.softmax(studentLogits, 1);
        double kl = 0;
        for (int j = 0; j < 3; j++) {
            kl += teacherAtT[j] * Math.log(teacherAtT[j] / qT[j]);
        }
        double expected = alpha * t * t * kl + (1 - alpha) * -Math.log(q1[label]);
        KnowledgeDistillationLoss loss = new KnowledgeDistillationLoss(t, alpha, 3);
        INDArray labels = Nd4j.createFromArray(new double[][]{{0.2, 0.3, 0.5, 0, 1, 0}});
        double score = loss.computeScore(labels, Nd4j.createFromArray(new double[][]{studentLogits}),
                new ActivationIdentity(), null, true);
        assertEquals(expected, score, 1e-9);
    }

    @Test
    void softTermVanishesWhenStudentEqualsTeacherAndUnlabelledRowsHaveNoHardTerm() {
        double t = 4;
        INDArray z = Nd4j.createFromArray(new double[][]{{1, -2, 0.5, 3, 0}});
        INDArray teacher = TemperatureSoftmax.softmax(z, t);
        INDArray labels = KnowledgeDistillationLoss.labels(teacher, Nd4j.zeros(DataType.DOUBLE, 1, K));
        KnowledgeDistillationLoss loss = new KnowledgeDistillationLoss(t, 0.5, K);
        assertEquals(0, loss.computeScore(labels, z, new ActivationIdentity(), null, true), 1e-12);
        assertEquals(0, loss.computeGradient(labels, z, new ActivationIdentity(), null).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void passesDl4jGradientCheckInsideANetwork() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                    .updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                    .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                    .layer(new OutputLayer.Builder(new KnowledgeDistillationLoss(3, 0.6, K)).nIn(6).nOut(K)
                            .activation(Activation.IDENTITY).build())
                    .build();
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            Random rnd = new Random(5);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 4).subi(0.5);
            INDArray y = labels(rnd, 8, 3, true);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                    .labels(y).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9));
            assertTrue(ok, "DL4J gradient check failed");
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    @Test
    void aStudentWithThisLossSavesAndRestores(@TempDir Path dir) throws Exception {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(new KnowledgeDistillationLoss(8, 0.9, K)).nIn(6).nOut(K)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 4);
        net.fit(new DataSet(x, labels(new Random(1), 8, 8, true).castTo(DataType.FLOAT)));
        File file = dir.resolve("student.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.output(x), restored.output(x));
        assertEquals(new KnowledgeDistillationLoss(8, 0.9, K),
                ((org.deeplearning4j.nn.conf.layers.OutputLayer) restored.getLayerWiseConfigurations().getConf(1)
                        .getLayer()).getLossFn());
    }

    @Test
    void theLossAsEarlierModelFilesHoldItStillLoads() throws Exception {
        String saved = "{\"@class\" : \"io.distillmesh.core.loss.KnowledgeDistillationLoss\", \"alpha\" : 0.9,"
                + " \"numClasses\" : 5, \"temperature\" : 8.0}";
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ILossFunction loaded = mapper.readValue(saved, ILossFunction.class);
        assertEquals(new KnowledgeDistillationLoss(8, 0.9, K), loaded);
        assertEquals(mapper.readTree(saved), mapper.readTree(mapper.writeValueAsString(loaded)),
                "written the same way");
    }

    @Test
    void aComputationGraphStudentLearnsTheTeachersDistribution() {
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(4)
                .updater(new org.nd4j.linalg.learning.config.Adam(0.05)).graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(new KnowledgeDistillationLoss(2, 1.0, K)).nIn(16).nOut(K)
                        .activation(Activation.IDENTITY).build(), "hidden")
                .setOutputs("out").build();
        org.deeplearning4j.nn.graph.ComputationGraph graph = new org.deeplearning4j.nn.graph.ComputationGraph(conf);
        graph.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 4);
        INDArray y = labels(new Random(9), 32, 2, false).castTo(DataType.FLOAT);
        DataSet data = new DataSet(x, y);
        double before = graph.score(data);
        for (int i = 0; i < 100; i++) {
            graph.fit(data);
        }
        double after = graph.score(data);
        assertTrue(after < 0.6 * before, "KL to the teacher should shrink: " + before + " -> " + after);
    }

    @Test
    void refusesBadHyperParametersAndShapes() {
        assertThrows(IllegalArgumentException.class, () -> new KnowledgeDistillationLoss(0, 0.5, K));
        assertThrows(IllegalArgumentException.class, () -> new KnowledgeDistillationLoss(2, 1.5, K));
        KnowledgeDistillationLoss loss = new KnowledgeDistillationLoss(2, 0.5, K);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loss.computeScore(
                Nd4j.zeros(DataType.DOUBLE, 2, K), Nd4j.zeros(DataType.DOUBLE, 2, K), new ActivationIdentity(), null, true));
        assertTrue(e.getMessage().contains("teacher probabilities then hard labels"), e.getMessage());
    }

    private static INDArray randomLogits(Random rnd, int n) {
        double[][] z = new double[n][K];
        for (double[] row : z) {
            for (int j = 0; j < K; j++) {
                row[j] = rnd.nextGaussian() * 3;
            }
        }
        return Nd4j.createFromArray(z);
    }

    /** Teacher distribution at T from random logits, plus one-hot labels (every other row unlabelled). */
    private static INDArray labels(Random rnd, int n, double t, boolean someUnlabelled) {
        INDArray teacher = TemperatureSoftmax.softmax(randomLogits(rnd, n), t);
        double[][] hard = new double[n][K];
        for (int i = 0; i < n; i++) {
            if (!someUnlabelled || i % 2 == 0) {
                hard[i][rnd.nextInt(K)] = 1;
            }
        }
        return KnowledgeDistillationLoss.labels(teacher, Nd4j.createFromArray(hard));
    }
}
