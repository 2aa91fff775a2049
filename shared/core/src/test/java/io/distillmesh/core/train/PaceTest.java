package io.distillmesh.core.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaceTest {
    @Test
    void theRestTakesAsLongPerUnitAsTheDoneOnes() {
        assertEquals(30.0, Pace.secondsLeft(10.0, 25, 100), 1e-12);
        assertEquals(0.0, Pace.secondsLeft(4.0, 8, 8), 0.0);
    }

    @Test
    void nothingDoneYetHasNoPace() {
        assertTrue(Double.isNaN(Pace.secondsLeft(3.0, 0, 100)));
    }
}
