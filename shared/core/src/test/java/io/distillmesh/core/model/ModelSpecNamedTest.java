package io.distillmesh.core.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelSpecNamedTest {
    @Test
    void mlpTakesTheHiddenWidthsAndLenetIgnoresThem() {
        ModelSpec mlp = ModelSpec.named("mlp", 7, 32, 16);
        assertEquals(ModelSpec.Architecture.MLP, mlp.architecture());
        assertArrayEquals(new int[]{32, 16}, mlp.hidden());
        assertEquals(7, mlp.seed());
        assertEquals(ModelSpec.lenet(3), ModelSpec.named("lenet", 3, 128));
    }

    @Test
    void anUnknownNameIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.named("vgg", 1));
        assertEquals("unknown network 'vgg', known: [mlp, lenet]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.named(null, 1));
    }
}
