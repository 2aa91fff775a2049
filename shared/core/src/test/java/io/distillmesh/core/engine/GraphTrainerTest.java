package io.distillmesh.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillmesh.core.loss.KnowledgeDistillationLoss;
import io.distillmesh.core.model.ResNetSpec;
import io.distillmesh.core.model.ResidualNetworks;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** The engine's computation-graph trainer on the project's residual networks, against DL4J's own backprop and fit. */
class GraphTrainerTest {
    private static final int K = 10;
    private static final int N = 4;
    /** Stride-2 stem, two stages: a projection shortcut (stride 2) and an identity shortcut both occur. */
    private static final ResNetSpec SPEC = new ResNetSpec(new int[]{1, 2}, new int[]{2, 3}, 2, 1e-2, 5, K);

    @Test
    void lossAndGradientEqualDl4jsInDoublePrecision() {
        for (boolean hinton : new boolean[]{false, true}) {
            ComputationGraph graph = resnet(hinton).convertDataType(DataType.DOUBLE);
            INDArray[] batch = batch(hinton, 3, DataType.DOUBLE);
            graph.setInputs(batch[0]);
            graph.setLabels(batch[1]);
            graph.computeGradientAndScore();
            // DL4J's backprop sums over the batch (its updater divides by the batch size); the engine's is the mean
            INDArray expected = graph.gradient().gradient().div(N);
            double expectedLoss = graph.score();

            INDArray actual = Nd4j.create(DataType.DOUBLE, graph.numParams());
            double loss = GraphTrainer.of(graph).lossAndGradient(batch[0], batch[1], actual);
            String what = hinton ? "Hinton" : "softmax-CE";
            assertEquals(expectedLoss, loss, 1e-10 * Math.abs(expectedLoss), what + " loss");
            double error = expected.sub(actual).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
            assertTrue(error < 1e-6, what + " gradient relative error " + error);
        }
    }

    @Test
    void gradientEqualsCentralFiniteDifferences() {
        ComputationGraph graph = resnet(true).convertDataType(DataType.DOUBLE);
        assertFiniteDifferences(graph, batch(true, 4, DataType.DOUBLE), new boolean[(int) graph.numParams()], 8);
    }

    @Test
    void adamStepsLeaveParametersMomentsAndIterationWhereFitDoes() {
        ComputationGraph viaFit = resnet(false);
        ComputationGraph viaEngine = viaFit.clone();
        GraphTrainer trainer = GraphTrainer.of(viaEngine);
        for (int step = 0; step < 4; step++) {
            INDArray[] batch = batch(false, 10 + step, DataType.FLOAT);
            viaFit.fit(new INDArray[]{batch[0]}, new INDArray[]{batch[1]});
            double loss = trainer.step(batch[0], batch[1]);
            assertEquals(viaFit.score(), loss, 1e-5, "loss of step " + step);
        }
        assertClose(viaFit.params(), viaEngine.params(), 1e-4, "parameters");
        assertClose(viaFit.getUpdater().getStateViewArray(), viaEngine.getUpdater().getStateViewArray(), 1e-4,
                "Adam moments");
        assertEquals(4, viaEngine.getIterationCount());
        assertEquals(viaFit.getIterationCount(), viaEngine.getIterationCount());
        INDArray x = batch(false, 99, DataType.FLOAT)[0];
        Map<String, INDArray> activations = viaEngine.feedForward(x, false);
        assertClose(ResidualNetworks.logits(viaEngine, activations), trainer.logits(x), 1e-4, "logits");
    }

    @Test
    void batchNormalisedNetworksGradientAndRunningStatisticUpdatesEqualDl4jsInDoublePrecision() {
        for (boolean hinton : new boolean[]{false, true}) {
            assertGradientAsDl4j(resnet(SPEC.withBatchNorm(), hinton).convertDataType(DataType.DOUBLE),
                    batch(hinton, 3, DataType.DOUBLE), "batch-normalised ResNet, " + (hinton ? "Hinton" : "softmax-CE"));
        }
        for (boolean logStd : new boolean[]{false, true}) {
            assertGradientAsDl4j(denseWithBatchNorm(logStd).convertDataType(DataType.DOUBLE),
                    LabelledBatches.of(N, 6, 3, false, 4, DataType.DOUBLE),
                    "dense + batch norm " + (logStd ? "(log10 std)" : "(variance)"));
        }
    }

    @Test
    void batchNormalisationWithItsChannelsSplitAcrossTwoThreadsStillEqualsDl4j() {
        int previous = Nd4j.getEnvironment().maxThreads();
        Nd4j.getEnvironment().setMaxThreads(2);
        try {
            assertEquals(2, ParallelRanges.ranges(64, 1024, 2), "the dense batch norm's 64 columns split");
            assertGradientAsDl4j(denseWithBatchNorm(false, 64).convertDataType(DataType.DOUBLE),
                    LabelledBatches.of(1024, 6, 3, false, 5, DataType.DOUBLE), "dense + batch norm on two threads");
            ResNetSpec wide = new ResNetSpec(new int[]{1}, new int[]{4}, 2, 1e-2, 5, K).withBatchNorm();
            assertEquals(2, ParallelRanges.ranges(4, 96 * 14 * 14, 2), "the stem's 4 channels of 14×14 split");
            assertGradientAsDl4j(resnet(wide, false).convertDataType(DataType.DOUBLE),
                    LabelledBatches.of(96, 784, K, false, 6, DataType.DOUBLE), "batch-normalised ResNet on two threads");
            // single precision runs its own loops (float arithmetic, double sums): the same gradient to float accuracy
            ComputationGraph floats = resnet(wide, false);
            INDArray[] batch = LabelledBatches.of(96, 784, K, false, 6, DataType.FLOAT);
            INDArray single = Nd4j.create(DataType.FLOAT, floats.numParams());
            GraphTrainer.of(floats).lossAndGradient(batch[0], batch[1], single);
            ComputationGraph doubles = floats.convertDataType(DataType.DOUBLE);
            INDArray reference = Nd4j.create(DataType.DOUBLE, doubles.numParams());
            GraphTrainer.of(doubles).lossAndGradient(batch[0].castTo(DataType.DOUBLE), batch[1].castTo(DataType.DOUBLE),
                    reference);
            double error = single.castTo(DataType.DOUBLE).sub(reference).norm2Number().doubleValue()
                    / reference.norm2Number().doubleValue();
            assertTrue(error < 1e-4, "single-precision gradient relative error " + error);
        } finally {
            Nd4j.getEnvironment().setMaxThreads(previous);
        }
    }

    @Test
    void batchNormalisedGradientEqualsCentralFiniteDifferencesInTrainingMode() {
        ComputationGraph graph = resnet(SPEC.withBatchNorm(), true).convertDataType(DataType.DOUBLE);
        assertFiniteDifferences(graph, batch(true, 4, DataType.DOUBLE), runningStatistics(graph), 9);
    }

    /** 40 random parameters, except {@code skip}ped ones: the engine's gradient = central finite differences. */
    private static void assertFiniteDifferences(ComputationGraph graph, INDArray[] batch, boolean[] skip, long seed) {
        GraphTrainer trainer = GraphTrainer.of(graph);
        INDArray gradient = Nd4j.create(DataType.DOUBLE, graph.numParams());
        trainer.lossAndGradient(batch[0], batch[1], gradient);
        INDArray params = graph.params();
        INDArray scratch = Nd4j.create(DataType.DOUBLE, graph.numParams());
        Random random = new Random(seed);
        double h = 1e-6;
        int checked = 0;
        while (checked < 40) {
            int i = random.nextInt((int) graph.numParams());
            if (skip[i]) {
                continue;
            }
            double original = params.getDouble(i);
            params.putScalar(i, original + h);
            double plus = trainer.lossAndGradient(batch[0], batch[1], scratch);
            params.putScalar(i, original - h);
            double minus = trainer.lossAndGradient(batch[0], batch[1], scratch);
            params.putScalar(i, original);
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, gradient.getDouble(i), 1e-6 * Math.max(1, Math.abs(numeric)), "parameter " + i);
            checked++;
        }
    }

    @Test
    void nesterovStepsOnABatchNormalisedResNetLeaveWeightsStatisticsAndVelocitiesWhereFitDoes(@TempDir Path dir)
            throws Exception {
        ComputationGraph viaFit = resnet(SPEC.withBatchNorm().withNesterovs(0.9, 1e-3), false);
        ComputationGraph viaEngine = viaFit.clone();
        GraphTrainer trainer = GraphTrainer.of(viaEngine);
        for (int step = 0; step < 4; step++) {
            INDArray[] batch = batch(false, 10 + step, DataType.FLOAT);
            viaFit.fit(new INDArray[]{batch[0]}, new INDArray[]{batch[1]});
            double loss = trainer.step(batch[0], batch[1]);
            assertEquals(viaFit.score(), loss, 1e-5, "loss of step " + step);
        }
        assertClose(viaFit.params(), viaEngine.params(), 1e-4, "parameters and running statistics");
        assertClose(viaFit.getUpdater().getStateViewArray(), viaEngine.getUpdater().getStateViewArray(), 1e-4,
                "Nesterov velocities");
        assertEquals(viaFit.getIterationCount(), viaEngine.getIterationCount());
        INDArray x = batch(false, 99, DataType.FLOAT)[0];
        INDArray logits = trainer.logits(x);
        assertClose(ResidualNetworks.logits(viaFit, viaFit.feedForward(x, false)), logits, 1e-4,
                "inference-mode logits");

        Path file = dir.resolve("resnet-bn.zip");
        ModelSerializer.writeModel(viaEngine, file.toFile(), true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        assertClose(viaEngine.outputSingle(x), restored.outputSingle(x), 0, "restored outputs");
        assertClose(logits, GraphTrainer.of(restored).logits(x), 0, "restored logits");
        assertClose(viaEngine.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray(), 0,
                "restored velocities");
    }

    /**
     * Widths of whole blocks of 16 channels keep the maps in oneDNN's blocked layout between layers (float): steps
     * of SGD with Nesterov momentum (batch norm) and of Adam (no batch norm) still leave the network where DL4J's
     * fit does, and the maps handed out of the pass are NCHW.
     */
    @Test
    void stepsInOneDnnsBlockedLayoutLeaveTheNetworkWhereFitDoes() {
        ResNetSpec wide = new ResNetSpec(new int[]{1, 1}, new int[]{16, 32}, 2, 1e-2, 5, K);
        assertFalse(GraphLayout.read(resnet(false)).pass().blockedLayout(), "3 channels are not a block");
        for (ResNetSpec spec : new ResNetSpec[]{wide.withBatchNorm().withNesterovs(0.9, 1e-3), wide}) {
            ComputationGraph viaFit = resnet(spec, false);
            ComputationGraph viaEngine = viaFit.clone();
            assertTrue(GraphLayout.read(viaEngine).pass().blockedLayout(), "16 and 32 channels are blocks");
            GraphTrainer trainer = GraphTrainer.of(viaEngine);
            String what = spec.batchNorm() ? "batch norm, Nesterov" : "Adam";
            for (int step = 0; step < 3; step++) {
                INDArray[] batch = batch(false, 20 + step, DataType.FLOAT);
                viaFit.fit(new INDArray[]{batch[0]}, new INDArray[]{batch[1]});
                double loss = trainer.step(batch[0], batch[1]);
                assertEquals(viaFit.score(), loss, 1e-4, what + ": loss of step " + step);
            }
            assertClose(viaFit.params(), viaEngine.params(), 1e-3, what + ": parameters and running statistics");
            assertClose(viaFit.getUpdater().getStateViewArray(), viaEngine.getUpdater().getStateViewArray(), 1e-3,
                    what + ": updater state");
            INDArray x = batch(false, 99, DataType.FLOAT)[0];
            Map<String, INDArray> maps = viaFit.feedForward(x, false);
            INDArray[] logitsAndMaps = GraphLogits.of(viaEngine).orElseThrow()
                    .logitsAndVertices(x, java.util.List.of(ResidualNetworks.stageExit(1), ResidualNetworks.POOL));
            assertClose(ResidualNetworks.logits(viaFit, maps), logitsAndMaps[0], 1e-3, what + ": inference logits");
            assertArrayEquals(maps.get(ResidualNetworks.stageExit(1)).shape(), logitsAndMaps[1].shape(),
                    what + ": a stage's maps come out NCHW");
            assertClose(maps.get(ResidualNetworks.stageExit(1)), logitsAndMaps[1], 1e-3, what + ": a stage's maps");
            assertClose(maps.get(ResidualNetworks.POOL), logitsAndMaps[2], 1e-3, what + ": pooled features");
        }
    }

    @Test
    void trainingStepTakesResidualNetworksToTheEngineAndNamesWhatItCannotTrain() {
        assertEquals(TrainingStep.ENGINE_GRAPH, TrainingStep.of(resnet(true), "the test's ResNet").path());

        ComputationGraph subtracting = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(1e-3)).graphBuilder().addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(6).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(6).nOut(4).activation(Activation.RELU).build(), "in")
                .addVertex("diff", new ElementWiseVertex(ElementWiseVertex.Op.Subtract), "a", "b")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "diff")
                .setOutputs("out").build());
        subtracting.init();
        assertEquals("vertex diff is an element-wise Subtract (Add only)",
                GraphTrainer.unsupported(subtracting).orElseThrow());
        assertTrue(TrainingStep.of(subtracting, "a subtracting graph").path().startsWith("dl4j ("));

        ComputationGraph locked = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(1e-3)).graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(6).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().nOut(4).lockGammaBeta(true).build(), "dense")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "bn")
                .setOutputs("out").build());
        locked.init();
        String reason = GraphTrainer.unsupported(locked).orElseThrow();
        assertTrue(reason.contains("bn") && reason.contains("BatchNormalization"), reason);
        assertFalse(GraphTrainer.unsupported(resnet(false)).isPresent());
        assertFalse(GraphTrainer.unsupported(denseWithBatchNorm(true)).isPresent());
        assertEquals(TrainingStep.ENGINE_GRAPH, TrainingStep.of(resnet(SPEC.withBatchNorm().withNesterovs(0.9, 1e-4),
                false), "a batch-normalised ResNet").path());
    }

    @Test
    void inferenceLogitsOutliveTheirPassWorkspaceAndEqualDl4jsOutputs() {
        ComputationGraph graph = resnet(SPEC.withBatchNorm(), false);
        GraphLogits logits = GraphLogits.of(graph).orElseThrow();
        INDArray first = batch(false, 11, DataType.FLOAT)[0];
        INDArray larger = LabelledBatches.of(3 * N, 784, K, false, 12, DataType.FLOAT)[0];
        INDArray firstLogits = logits.logits(first);
        INDArray[] largerAndPool = logits.logitsAndVertices(larger, java.util.List.of(ResidualNetworks.POOL));
        logits.logits(first);
        assertFalse(firstLogits.isAttached());
        assertClose(ResidualNetworks.logits(graph, graph.feedForward(first, false)), firstLogits, 1e-4,
                "logits of the first batch after two more passes");
        assertClose(ResidualNetworks.logits(graph, graph.feedForward(larger, false)), largerAndPool[0], 1e-4,
                "logits of a larger batch (the workspace grows)");
        assertClose(graph.feedForward(larger, false).get(ResidualNetworks.POOL), largerAndPool[1], 1e-4, "pooled features");
    }

    private static ComputationGraph resnet(boolean hinton) {
        return resnet(SPEC, hinton);
    }

    private static ComputationGraph resnet(ResNetSpec spec, boolean hinton) {
        return hinton ? ResidualNetworks.classifier(spec, new KnowledgeDistillationLoss(3.0, 0.7, K), Activation.IDENTITY)
                : ResidualNetworks.classifier(spec, new LossMCXENT(), Activation.SOFTMAX);
    }

    /** Rows through a dense layer and batch normalisation of its columns. */
    private static ComputationGraph denseWithBatchNorm(boolean logStd) {
        return denseWithBatchNorm(logStd, 5);
    }

    private static ComputationGraph denseWithBatchNorm(boolean logStd, int width) {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(1e-3)).graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(6).nOut(width).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().nOut(width).useLogStd(logStd).build(), "dense")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nIn(width).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "relu")
                .setOutputs("out").build());
        graph.init();
        // running statistics away from their initial 0 and 1, so that their updates are not trivially equal
        for (String name : new String[]{"mean", logStd ? "log10stdev" : "var"}) {
            graph.getLayer("bn").getParam(name).assign(Nd4j.rand(DataType.FLOAT, 1, width).addi(0.5));
        }
        return graph;
    }

    /**
     * The engine's batch-mean gradient equals DL4J's summed one divided by the batch size, except for the running
     * statistics, whose "gradient" is their update (not divided) in both.
     */
    private static void assertGradientAsDl4j(ComputationGraph graph, INDArray[] batch, String what) {
        graph.setInputs(batch[0]);
        graph.setLabels(batch[1]);
        graph.computeGradientAndScore();
        INDArray dl4j = graph.gradient().gradient().dup();
        double expectedLoss = graph.score();
        INDArray actual = Nd4j.create(DataType.DOUBLE, graph.numParams());
        double loss = GraphTrainer.of(graph).lossAndGradient(batch[0], batch[1], actual);
        assertEquals(expectedLoss, loss, 1e-10 * Math.abs(expectedLoss), what + " loss");
        boolean[] statistics = runningStatistics(graph);
        long n = batch[0].size(0);
        double squaredError = 0;
        double squaredNorm = 0;
        int statisticSlots = 0;
        for (int i = 0; i < statistics.length; i++) {
            double expected = statistics[i] ? dl4j.getDouble(i) : dl4j.getDouble(i) / n;
            if (statistics[i]) {
                statisticSlots++;
                assertEquals(expected, actual.getDouble(i), 1e-9 * Math.max(1, Math.abs(expected)),
                        what + " running-statistic update at " + i);
            }
            squaredError += Math.pow(expected - actual.getDouble(i), 2);
            squaredNorm += expected * expected;
        }
        assertTrue(statisticSlots > 0, what + " has running statistics");
        double error = Math.sqrt(squaredError / squaredNorm);
        assertTrue(error < 1e-6, what + " gradient relative error " + error);
    }

    /** Which entries of the flat parameters are batch normalisation's running mean and variance (or log10 std). */
    private static boolean[] runningStatistics(ComputationGraph graph) {
        boolean[] statistics = new boolean[(int) graph.numParams()];
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                if (Set.of("mean", "var", "log10stdev").contains(param.getKey())
                        && layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                    long from = param.getValue().offset() - graph.params().offset();
                    for (long i = from; i < from + param.getValue().length(); i++) {
                        statistics[(int) i] = true;
                    }
                }
            }
        }
        return statistics;
    }

    private static INDArray[] batch(boolean hinton, long seed, DataType dataType) {
        return LabelledBatches.of(N, 784, K, hinton, seed, dataType);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        INDArray e = expected.castTo(DataType.DOUBLE).reshape(expected.length());
        INDArray a = actual.castTo(DataType.DOUBLE).reshape(actual.length());
        assertEquals(e.length(), a.length(), what);
        for (long i = 0; i < e.length(); i++) {
            double v = e.getDouble(i);
            assertEquals(v, a.getDouble(i), tolerance * Math.max(1, Math.abs(v)), what + " at " + i);
        }
    }
}
