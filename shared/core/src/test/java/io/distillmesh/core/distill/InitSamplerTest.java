package io.distillmesh.core.distill;

import io.distillmesh.core.artifact.InitSpecJson;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitSamplerTest {

    @Test
    void samplerRebuildsTheSameInitsAndHoldsOutEvaluationInits() {
        InitSpec spec = InitSpec.random(ModelSpec.mlp(0, 16), 9, 2);
        InitSampler a = new InitSampler(spec, null);
        InitSampler b = new InitSampler(InitSpecJson.read(InitSpecJson.write(spec)), null);
        List<INDArray> first = a.draws(0);
        assertEquals(2, first.size());
        assertEquals(first, b.draws(0), "same spec, same inits");
        assertNotEquals(first.get(0), first.get(1), "two models per iteration differ");
        assertNotEquals(first.get(0), a.draws(1).get(0), "a fresh init every iteration");
        assertNotEquals(a.evaluation(0), first.get(0), "evaluation inits are held out");
        assertEquals(a.evaluation(3), b.evaluation(3));

        InitSampler fixed = new InitSampler(InitSpec.fixed(ModelSpec.mlp(0, 16), 9), null);
        assertEquals(fixed.draws(0).get(0), fixed.draws(5).get(0));
        assertEquals(fixed.evaluation(0), fixed.draws(0).get(0), "fixed init: evaluated on the init itself");
        assertEquals(ModelZoo.classifier(ModelSpec.mlp(9, 16)).params(), fixed.draws(0).get(0),
                "a random init with seed s is what the model zoo builds with seed s");

        INDArray p1 = ModelZoo.classifier(ModelSpec.mlp(100, 16)).params();
        INDArray p2 = ModelZoo.classifier(ModelSpec.mlp(200, 16)).params();
        PretrainedPool pool = new PretrainedPool(Map.of("one", p1, "two", p2));
        InitSampler pooled = new InitSampler(new InitSpec(ModelSpec.mlp(0, 16), InitMode.RANDOM_PRETRAINED, 1, 1,
                List.of("one", "two"), "FLOAT"), pool);
        for (int it = 0; it < 6; it++) {
            INDArray d = pooled.draws(it).get(0);
            assertTrue(d.equals(p1) || d.equals(p2), "draw " + it + " " + Arrays.toString(d.shape()) + d.dataType()
                    + " " + d.getDouble(0, 0) + " vs " + p1.getDouble(0, 0) + "/" + p2.getDouble(0, 0) + " " + Arrays.toString(p1.shape()));
        }
        assertEquals(p2, pooled.evaluation(1));
        assertThrows(IllegalArgumentException.class, () -> new InitSampler(new InitSpec(ModelSpec.mlp(0, 8),
                InitMode.FIXED_PRETRAINED, 1, 1, List.of("one"), "FLOAT"), pool), "wrong parameter count");
    }
}
