package io.distillmesh.core.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ArgMaxTest {
    @Test
    void theIndexOfTheLargestValue() {
        assertEquals(2, ArgMax.of(new double[]{0.1, -3, 0.7, 0.2}));
        assertEquals(0, ArgMax.of(new float[]{5f, -1f, 4.9f}));
        assertEquals(3, ArgMax.of(new float[]{-2f, -3f, -1.5f, -0.5f}));
    }

    @Test
    void aTieGoesToTheFirstIndex() {
        assertEquals(1, ArgMax.of(new double[]{0.1, 0.45, 0.45}));
        assertEquals(1, ArgMax.of(new float[]{0.1f, 0.45f, 0.45f}));
    }

    @Test
    void oneValueIsIndexZero() {
        assertEquals(0, ArgMax.of(new double[]{Double.NEGATIVE_INFINITY}));
        assertEquals(0, ArgMax.of(new float[]{-7f}));
    }
}
