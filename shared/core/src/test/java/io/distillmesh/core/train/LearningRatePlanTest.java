package io.distillmesh.core.train;

import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ISchedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one-cycle plan's shape, the DL4J schedule that carries it, and that a network then reports those rates. */
class LearningRatePlanTest {
    @Test
    void oneCycleWarmsUpThenFallsToAHundredthOfThePeak() {
        LearningRatePlan plan = LearningRatePlan.parse("one-cycle", 0.1, 1000);
        assertEquals(0.01, plan.rateAt(0), 1e-12);
        assertEquals(0.1, plan.rateAt(150), 1e-12);
        assertEquals(0.001, plan.rateAt(1000), 1e-12);
        for (long i = 1; i < 1000; i++) {
            boolean rising = i <= 150;
            assertTrue(rising ? plan.rateAt(i) > plan.rateAt(i - 1) : plan.rateAt(i) < plan.rateAt(i - 1), "at " + i);
        }
    }

    @Test
    void theScheduleFollowsThePlanPieceByPieceAndTheNetworkReadsIt() {
        LearningRatePlan plan = LearningRatePlan.parse("One-Cycle", 0.05, 2000);
        ISchedule schedule = plan.schedule();
        for (int i = 0; i < 2000; i += 7) {
            assertEquals(plan.rateAt(i), schedule.valueAt(i, 0), 0.05 * 0.016, "at " + i + " (within half a piece of the warm-up)");
        }
        MultiLayerNetwork net = ModelZoo.classifier(ModelSpec.mlp(1, 8));
        plan.applyTo(net);
        assertEquals(schedule.valueAt(1234, 0), net.getLayerWiseConfigurations().getConf(0).getLayer()
                .getUpdaterByParam("W").getLearningRate(1234, 0), 1e-15);
    }

    @Test
    void constantLeavesTheConfigurationAlone() {
        LearningRatePlan plan = LearningRatePlan.parse("constant", 0.01, 10);
        assertNull(plan.schedule());
        assertEquals(0.01, plan.rateAt(9), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearningRatePlan.parse("cosine", 0.1, 10));
        assertTrue(e.getMessage().contains("known: constant, one-cycle"), e.getMessage());
    }
}
