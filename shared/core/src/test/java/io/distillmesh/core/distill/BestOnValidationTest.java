package io.distillmesh.core.distill;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.LearningRateSchedule;
import io.distillmesh.core.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BestOnValidationTest {
    private static LabelledImages training;
    private static LabelledImages validation;

    @BeforeAll
    static void load() {
        LabelledImages test = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST);
        training = test.head(200);
        validation = test.slice(200, 500, "validation");
    }

    @Test
    void keepsTheSetThatScoredBestAndLeavesTheRunAsItWas() {
        InitSampler init = new InitSampler(InitSpec.fixed(ModelSpec.mlp(1, 32), 3), null);
        DistillationResult plain = distil(init, DistillationListener.NONE, null);

        List<DistillationProgress> passedOn = new ArrayList<>();
        DistilledData data = data();
        BestOnValidation best = new BestOnValidation(data, init.spec(), new ReplayEvaluator(init, validation), 1, 4,
                passedOn::add);
        DistillationResult checked = distil(init, best, data);

        assertArrayEquals(plain.metaLosses(), checked.metaLosses(), "the checks do not disturb the run");
        assertArrayEquals(plain.distilled().pixels(), checked.distilled().pixels());
        assertEquals(10, passedOn.size(), "every iteration still reaches the next listener");
        assertEquals(3, best.checks(), "after iterations 4, 8 and the last, 10");
        assertTrue(List.of(4, 8, 10).contains(best.bestIteration()), "checked iteration: " + best.bestIteration());
        assertTrue(best.bestAccuracy() >= best.lastAccuracy());
        double rescored = new ReplayEvaluator(init, validation).trained(best.best(), 1)[0];
        assertEquals(best.bestAccuracy(), rescored, 0.0, "the kept set is the one that scored");
        double finalScore = new ReplayEvaluator(init, validation).trained(checked.distilled(), 1)[0];
        assertEquals(finalScore, best.lastAccuracy(), 0.0, "the last check scored the run's final set");
    }

    @Test
    void anEarlierSetThatScoredBetterIsTheOneKept() {
        InitSampler init = new InitSampler(InitSpec.fixed(ModelSpec.mlp(1, 32), 3), null);
        DistilledData data = DistilledData.initialise(new DistillationSchedule(1, 1, 2, 10), ImageShape.MNIST,
                ImageInit.REAL, training, 0, 0, 0.3, 5, DataType.FLOAT);
        // blank images leave the init nearly as it was; huge ones wreck it
        data.pixels().assign(0);
        List<float[]> checked = new ArrayList<>();
        BestOnValidation best = new BestOnValidation(data, init.spec(), new ReplayEvaluator(init, validation), 1, 2,
                p -> checked.add(data.snapshot(init.spec()).pixels()));
        best.onIteration(progress(1));
        best.onIteration(progress(2));
        float[] blankImages = data.snapshot(init.spec()).pixels();
        data.pixels().assign(1000);
        best.onIteration(progress(3));
        best.onIteration(progress(4));

        assertEquals(2, best.checks());
        assertEquals(2, best.bestIteration(), "blank images beat huge ones: best " + best.bestAccuracy()
                + ", last " + best.lastAccuracy());
        assertTrue(best.bestAccuracy() > best.lastAccuracy() + 0.05, best.bestAccuracy() + " vs " + best.lastAccuracy());
        assertArrayEquals(blankImages, best.best().pixels(), "the kept set is the one of iteration 2, not the run's last");
        assertEquals(4, checked.size(), "every iteration reaches the next listener");
    }

    @Test
    void aCancelStopsACheckBetweenItsReplaysAndDropsIt() {
        InitSampler init = new InitSampler(InitSpec.random(ModelSpec.mlp(1, 16), 3, 1), null);
        int[] polls = {0};
        DistillationListener cancelledAfterOnePoll = new DistillationListener() {
            @Override
            public void onIteration(DistillationProgress progress) {
            }

            @Override
            public boolean isCancelled() {
                return polls[0]++ >= 1;
            }
        };
        BestOnValidation best = new BestOnValidation(data(), init.spec(), new ReplayEvaluator(init, validation), 3, 1,
                cancelledAfterOnePoll);
        best.onIteration(progress(1));
        assertEquals(2, polls[0], "polled before the first replay and, cancelled, before the second");
        assertEquals(0, best.checks(), "the cut-off check is dropped");
        assertTrue(Double.isNaN(best.bestAccuracy()));
    }

    @Test
    void refusesAPeriodOrInitCountBelowOne() {
        InitSampler init = new InitSampler(InitSpec.fixed(ModelSpec.mlp(1, 8), 3), null);
        ReplayEvaluator evaluator = new ReplayEvaluator(init, validation);
        assertThrows(IllegalArgumentException.class, () -> new BestOnValidation(data(), init.spec(), evaluator, 1, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new BestOnValidation(data(), init.spec(), evaluator, 0, 5, null));
    }

    private static DistillationProgress progress(int iteration) {
        return new DistillationProgress(iteration, 4, 2.3, new double[]{0.3, 0.3}, 0.01, 0.1);
    }

    private static DistillationResult distil(InitSampler init, DistillationListener listener, DistilledData data) {
        return new DatasetDistiller(init, new ClassificationObjective(new RealBatches(training, 100, 1)),
                DistillerConfig.of(10, LearningRateSchedule.constant(0.03)))
                .run(data == null ? data() : data, listener);
    }

    private static DistilledData data() {
        return DistilledData.initialise(new DistillationSchedule(1, 1, 2, 10), ImageShape.MNIST, ImageInit.NOISE, null,
                0.3, 0.3, 0.1, 5, DataType.FLOAT);
    }
}
