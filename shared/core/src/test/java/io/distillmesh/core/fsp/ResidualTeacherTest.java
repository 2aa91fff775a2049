package io.distillmesh.core.fsp;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.TrainingStep;
import io.distillmesh.core.loss.TemperatureSoftmax;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.model.ResNetSpec;
import io.distillmesh.core.model.ResidualNetworks;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch-normalised residual teacher's log-probabilities and FSP matrices, now from the engine's inference pass,
 * equal those of DL4J's feed-forward, after a few training steps have moved the batch-norm running statistics.
 */
class ResidualTeacherTest {
    private static final List<FspPair> PAIRS = List.of(new FspPair("stem", "stage1"),
            new FspPair("s2b0_conv1", "stage2"), new FspPair("s3b0_conv1", "stage3"));

    @Test
    void engineOutputsEqualDl4jFeedForward() {
        LabelledImages data = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST).head(256);
        ComputationGraph graph = ModelZoo.resnetClassifier(ResNetSpec.of(5, new int[]{1, 1, 1}, new int[]{4, 6, 8})
                .withBatchNorm().withNesterovs(0.9, 5e-4).withLearningRate(0.05));
        TrainingStep step = TrainingStep.of(graph, "the test teacher");
        for (int from = 0; from < 192; from += 64) {
            int[] ids = IntStream.range(from, from + 64).toArray();
            step.step(data.features(ids), data.oneHot(ids));
        }
        INDArray x = data.features(IntStream.range(192, 256).toArray());
        ResidualTeacher teacher = new ResidualTeacher(graph, "test");

        ResidualTeacher.Outputs outputs = teacher.forward(x, 4.0, PAIRS);
        Map<String, INDArray> activations = graph.feedForward(x, false);
        INDArray expected = TemperatureSoftmax.logSoftmax(ResidualNetworks.logits(graph, activations), 4.0);
        assertClose(expected, outputs.logProbs(), "log-probabilities at T=4");
        assertEquals(PAIRS.size(), outputs.fspMatrices().size());
        for (int k = 0; k < PAIRS.size(); k++) {
            FspPair pair = PAIRS.get(k);
            assertClose(FspMatrix.compute(activations.get(pair.first()), activations.get(pair.second())),
                    outputs.fspMatrices().get(k), "FSP matrix " + pair);
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()), what + " shape");
        double rel = expected.sub(actual).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
        assertTrue(rel <= 1e-5, what + ": relative difference " + rel);
    }
}
