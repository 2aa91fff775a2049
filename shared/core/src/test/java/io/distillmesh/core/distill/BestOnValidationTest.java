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
    void refusesAPeriodOrInitCountBelowOne() {
        InitSampler init = new InitSampler(InitSpec.fixed(ModelSpec.mlp(1, 8), 3), null);
        ReplayEvaluator evaluator = new ReplayEvaluator(init, validation);
        assertThrows(IllegalArgumentException.class, () -> new BestOnValidation(data(), init.spec(), evaluator, 1, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new BestOnValidation(data(), init.spec(), evaluator, 0, 5, null));
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
