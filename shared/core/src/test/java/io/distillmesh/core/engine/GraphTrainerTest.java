package io.distillmesh.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillmesh.core.loss.KnowledgeDistillationLoss;
import io.distillmesh.core.model.ResNetSpec;
import io.distillmesh.core.model.ResidualNetworks;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
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
        INDArray[] batch = batch(true, 4, DataType.DOUBLE);
        GraphTrainer trainer = GraphTrainer.of(graph);
        INDArray gradient = Nd4j.create(DataType.DOUBLE, graph.numParams());
        trainer.lossAndGradient(batch[0], batch[1], gradient);
        INDArray params = graph.params();
        INDArray scratch = Nd4j.create(DataType.DOUBLE, graph.numParams());
        Random random = new Random(8);
        double h = 1e-6;
        for (int k = 0; k < 40; k++) {
            long i = random.nextInt((int) graph.numParams());
            double original = params.getDouble(i);
            params.putScalar(i, original + h);
            double plus = trainer.lossAndGradient(batch[0], batch[1], scratch);
            params.putScalar(i, original - h);
            double minus = trainer.lossAndGradient(batch[0], batch[1], scratch);
            params.putScalar(i, original);
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, gradient.getDouble(i), 1e-6 * Math.max(1, Math.abs(numeric)), "parameter " + i);
        }
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

        ComputationGraph normalised = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(1e-3)).graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(6).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().nOut(4).build(), "dense")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "bn")
                .setOutputs("out").build());
        normalised.init();
        String reason = GraphTrainer.unsupported(normalised).orElseThrow();
        assertTrue(reason.contains("bn") && reason.contains("BatchNormalization"), reason);
        assertFalse(GraphTrainer.unsupported(resnet(false)).isPresent());
    }

    private static ComputationGraph resnet(boolean hinton) {
        return hinton ? ResidualNetworks.classifier(SPEC, new KnowledgeDistillationLoss(3.0, 0.7, K), Activation.IDENTITY)
                : ResidualNetworks.classifier(SPEC, new LossMCXENT(), Activation.SOFTMAX);
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
