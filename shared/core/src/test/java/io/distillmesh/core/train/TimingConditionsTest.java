package io.distillmesh.core.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class TimingConditionsTest {
    @Test
    void namesTheThreadsTheCoresAndTheLoad() {
        String line = TimingConditions.describe();
        assertTrue(line.matches("OMP_NUM_THREADS=.*, " + Runtime.getRuntime().availableProcessors()
                + " cores visible, load average -?[0-9]+[.,][0-9]{2}"), line);
    }
}
