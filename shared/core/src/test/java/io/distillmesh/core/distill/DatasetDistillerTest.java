package io.distillmesh.core.distill;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.LearningRateSchedule;
import io.distillmesh.core.engine.StepDecay;
import io.distillmesh.core.model.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetDistillerTest {
    private static LabelledImages real;

    @BeforeAll
    static void load() {
        real = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST).head(200);
    }

    @Test
    void adamWithBetasHalfDecreasesTheMetaLossOnATinyProblem() {
        InitSampler init = new InitSampler(InitSpec.fixed(ModelSpec.mlp(1, 64), 3), null);
        DistillationSchedule schedule = new DistillationSchedule(1, 2, 2, 10);
        DistilledData data = DistilledData.initialise(schedule, ImageShape.MNIST, ImageInit.NOISE, null, 0.3, 0.3,
                0.1, 5, DataType.FLOAT);
        // the same 100 real images every iteration, so the meta-loss is one fixed function of the distilled data
        ClassificationObjective objective = new ClassificationObjective(new RealBatches(real.head(100), 100, 1));
        DistillationResult result = new DatasetDistiller(init, objective,
                DistillerConfig.of(20, LearningRateSchedule.constant(0.03)))
                .run(data, DistillationListener.NONE);
        double[] losses = result.metaLosses();
        System.out.println("meta-losses over 20 Adam iterations: " + Arrays.toString(losses));
        assertEquals(20, losses.length);
        double first = Arrays.stream(losses, 0, 3).average().orElseThrow();
        double last = Arrays.stream(losses, 17, 20).average().orElseThrow();
        // distillation needs thousands of iterations; 20 give about a 10% drop here (2.33 -> 2.07)
        assertTrue(last < 0.93 * first, "meta-loss should fall by at least 7%: first 3 " + first + ", last 3 " + last);
        double[] eta = result.distilled().stepSizes();
        assertTrue(Arrays.stream(eta).allMatch(e -> e > 0), "step sizes stay positive: " + Arrays.toString(eta));
        assertFalse(Arrays.stream(eta).allMatch(e -> Math.abs(e - 0.1) < 1e-9), "step sizes were learned");
    }

    @Test
    void listenerSeesEveryIterationAndCanCancel() {
        InitSampler init = new InitSampler(InitSpec.random(ModelSpec.mlp(1, 8), 3, 2), null);
        DistillationSchedule schedule = new DistillationSchedule(1, 1, 2, 10);
        DistilledData data = DistilledData.initialise(schedule, ImageShape.MNIST, ImageInit.REAL, real, 0, 0,
                0.02, 5, DataType.FLOAT);
        List<DistillationProgress> seen = new ArrayList<>();
        DistillationListener listener = new DistillationListener() {
            @Override
            public void onIteration(DistillationProgress progress) {
                seen.add(progress);
            }

            @Override
            public boolean isCancelled() {
                return seen.size() >= 3;
            }
        };
        DistillationResult result = new DatasetDistiller(init,
                new ClassificationObjective(new RealBatches(real, 50, 1)),
                DistillerConfig.of(10, new StepDecay(0.01, 0.5, 2)))
                .run(data, listener);
        assertTrue(result.cancelled());
        assertEquals(3, result.iterations());
        assertEquals(List.of(1, 2, 3), seen.stream().map(DistillationProgress::iteration).toList());
        assertEquals(10, seen.get(0).iterations());
        assertEquals(2, seen.get(2).stepSizes().length);
        assertEquals(0.01, seen.get(0).learningRate());
        assertEquals(0.005, seen.get(2).learningRate(), "step decay: ×0.5 every 2 iterations");
        assertTrue(Double.isFinite(seen.get(0).metaLoss()) && seen.get(0).metaLoss() > 0);
    }
}
