package io.distillmesh.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.model.ResNetSpec;
import java.util.Arrays;
import java.util.function.LongFunction;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A short training run on real Fashion-MNIST through the engine lands where the same run through DL4J's fit lands:
 * mean test accuracy over 3 seeds within the spread of the seeds. Both are scored by DL4J's own inference, so the
 * engine's parameters (and running statistics) are also read back by DL4J.
 */
class EngineAccuracyTest {
    private static final int TRAIN = 2_000;
    private static final int TEST = 1_000;
    private static final int BATCH = 32;
    private static final int EPOCHS = 2;
    private static final LabelledImages TRAIN_SET = FashionMnist.load(FashionMnist.dataDir(null),
            FashionMnist.Split.TRAIN).head(TRAIN);
    private static final LabelledImages TEST_SET = FashionMnist.load(FashionMnist.dataDir(null),
            FashionMnist.Split.TEST).head(TEST);

    @Test
    void studentMlpReachesTheAccuracyOfFit() {
        assertSameAccuracy(seed -> ModelZoo.classifier(ModelSpec.mlp(seed, 64)), TrainingStep.ENGINE, "MLP 784-64-10");
    }

    @Test
    void batchNormalisedResNetWithNesterovReachesTheAccuracyOfFit() {
        assertSameAccuracy(seed -> ModelZoo.resnetClassifier(new ResNetSpec(new int[]{1, 1, 1}, new int[]{4, 8, 8},
                        2, 0.05, seed, 10).withBatchNorm().withNesterovs(0.9, 1e-4)), TrainingStep.ENGINE_GRAPH,
                "batch-normalised ResNet-8 4-8-8");
    }

    private static void assertSameAccuracy(LongFunction<Model> network, String enginePath, String what) {
        double[] engine = new double[3];
        double[] dl4j = new double[3];
        for (int seed = 0; seed < 3; seed++) {
            Model viaEngine = network.apply(seed);
            TrainingStep step = viaEngine instanceof ComputationGraph g ? TrainingStep.of(g, what)
                    : TrainingStep.of((MultiLayerNetwork) viaEngine, what);
            assertEquals(enginePath, step.path(), what);
            engine[seed] = trainAndScore(step);
            Model viaFit = network.apply(seed);
            dl4j[seed] = trainAndScore(viaFit instanceof ComputationGraph g ? TrainingStep.dl4j(g, "reference")
                    : TrainingStep.dl4j((MultiLayerNetwork) viaFit, "reference"));
        }
        double spread = Math.max(range(engine), range(dl4j));
        String report = what + ": engine " + Arrays.toString(engine) + ", fit " + Arrays.toString(dl4j);
        assertTrue(mean(dl4j) > 0.5 && mean(engine) > 0.5, "both should learn (chance is 0.1): " + report);
        assertTrue(Math.abs(mean(engine) - mean(dl4j)) <= Math.max(spread, 0.005), report);
    }

    private static double trainAndScore(TrainingStep step) {
        int[] order = new int[TRAIN];
        Arrays.setAll(order, i -> i);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int from = 0; from + BATCH <= TRAIN; from += BATCH) {
                int[] ids = Arrays.copyOfRange(order, from, from + BATCH);
                step.step(TRAIN_SET.features(ids), TRAIN_SET.oneHot(ids));
            }
        }
        int[] all = new int[TEST];
        Arrays.setAll(all, i -> i);
        INDArray x = TEST_SET.features(all);
        INDArray out = step.network() instanceof ComputationGraph g ? g.outputSingle(x)
                : ((MultiLayerNetwork) step.network()).output(x);
        INDArray predicted = out.argMax(1);
        int correct = 0;
        for (int i = 0; i < TEST; i++) {
            correct += predicted.getInt(i) == TEST_SET.labels()[i] ? 1 : 0;
        }
        return correct / (double) TEST;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    private static double range(double[] values) {
        return Arrays.stream(values).max().orElseThrow() - Arrays.stream(values).min().orElseThrow();
    }
}
