package io.distillmesh.evaluator.distilled;

import io.distillmesh.evaluator.metrics.ClassifierMetrics;
import io.distillmesh.evaluator.metrics.SubjectMetrics;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistilledObjectiveTest {

    @Test
    void poisoningNamesItsClassesInTheNameOrInTheSpec() {
        DistilledObjective named = DistilledObjective.parse("poisoning(9->7)", null, 10);
        assertTrue(named.poisoning());
        assertEquals(9, named.attackClass());
        assertEquals(7, named.targetClass());
        DistilledObjective fromSpec = DistilledObjective.parse("poisoning",
                new JsonObject().put("attackClass", 3).put("targetClass", 4), 10);
        assertEquals(new DistilledObjective("poisoning(3->4)", 3, 4), fromSpec);
    }

    @Test
    void otherObjectivesAreJudgedAsClassification() {
        assertFalse(DistilledObjective.parse(null, null, 10).poisoning());
        assertFalse(DistilledObjective.parse("classification", null, 10).poisoning());
        assertEquals("adaptation(fashion-mnist/inverted)",
                DistilledObjective.parse("adaptation(fashion-mnist/inverted)", null, 10).name());
    }

    @Test
    void poisoningWithoutValidClassesIsRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DistilledObjective.parse("poisoning", null, 10))
                .getMessage().contains("names no attack and target class"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DistilledObjective.parse("poisoning(12->3)", null, 10)).getMessage()
                .contains("attack and target class must be different classes in 0..9"));
        assertThrows(IllegalArgumentException.class, () -> DistilledObjective.parse("poisoning(3->3)", null, 10));
    }

    @Test
    void theEffectComparesTheAttackedClassWithTheRestBeforeAndAfter() {
        SubjectMetrics before = SubjectMetrics.single(new ClassifierMetrics(100, 0.8, new double[]{0.9, 0.7, 0.8},
                0.5, 0.8, 0.1));
        SubjectMetrics after = SubjectMetrics.single(new ClassifierMetrics(100, 0.6, new double[]{0.8, 0.1, 0.9},
                0.9, 0.6, 0.4));
        PoisoningEffect effect = PoisoningEffect.of(new DistilledObjective("poisoning(1->0)", 1, 0), before, after);
        assertEquals(0.7, effect.attackAccuracyBefore(), 1e-12);
        assertEquals(0.1, effect.attackAccuracyAfter(), 1e-12);
        assertEquals(0.85, effect.restAccuracyBefore(), 1e-12);
        assertEquals(0.85, effect.restAccuracyAfter(), 1e-12);
    }
}
