package io.distillmesh.evaluator.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubjectMetricsTest {

    @Test
    void replicasAreAveragedWithTheSampleStandardDeviationOfTheirAccuracies() {
        SubjectMetrics m = SubjectMetrics.over(List.of(
                new ClassifierMetrics(10, 0.5, new double[]{0.4, 0.6}, 1.0, 0.5, 0.2),
                new ClassifierMetrics(10, 0.7, new double[]{0.6, 0.8}, 0.8, 0.7, 0.4),
                new ClassifierMetrics(10, 0.6, new double[]{0.5, 0.7}, 0.9, 0.6, 0.3)));
        assertEquals(3, m.replicas());
        assertEquals(0.6, m.mean().accuracy(), 1e-12);
        assertEquals(0.1, m.accuracyStd(), 1e-12);
        assertArrayEquals(new double[]{0.5, 0.7}, m.mean().perClassAccuracy(), 1e-12);
        assertEquals(0.9, m.mean().crossEntropy(), 1e-12);
        assertEquals(0.3, m.mean().klTeacherSubject(), 1e-12);
        assertEquals(10, m.mean().samples());
    }

    @Test
    void oneReplicaHasNoSpread() {
        SubjectMetrics m = SubjectMetrics.over(List.of(new ClassifierMetrics(10, 1.0, new double[]{1, 1}, 0, 1, 0)));
        assertTrue(Double.isNaN(m.accuracyStd()));
        assertEquals(1.0, m.mean().accuracy());
    }
}
