package io.distillmesh.distiller;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistillJobSpecTest {
    @Test
    void defaultsAreFilledInAndEchoedSoTheSpecReplays() {
        DistillJobSpec spec = DistillJobSpec.fromJson(new JsonObject().put("network", "mlp"));
        assertArrayEquals(new int[]{128}, spec.hidden());
        assertEquals(10, spec.steps());
        assertEquals(3, spec.epochs());
        assertEquals("fixed", spec.init());
        assertEquals("classification", spec.objective());
        JsonObject echoed = spec.toJson();
        assertEquals(echoed, DistillJobSpec.fromJson(echoed).toJson());
        assertEquals(0, DistillJobSpec.fromJson(new JsonObject()).hidden().length, "lenet has no hidden widths to set");
    }

    @Test
    void keepingTheBestSetIsOffByDefaultAndChecksOneInitInFixedModesFourInRandomOnes() {
        DistillJobSpec fixed = DistillJobSpec.fromJson(new JsonObject());
        assertEquals(0, fixed.keepBestEvery());
        assertEquals(2000, fixed.validation());
        assertEquals(1, fixed.validationInits());
        DistillJobSpec random = DistillJobSpec.fromJson(new JsonObject().put("init", "random").put("keepBestEvery", 20));
        assertEquals(20, random.keepBestEvery());
        assertEquals(4, random.validationInits());
        assertEquals(random.toJson(), DistillJobSpec.fromJson(random.toJson()).toJson());
    }

    @Test
    void condensationJobsDefaultToTheConvNetRealImagesAndEachMethodsImageLearningRate() {
        DistillJobSpec dm = DistillJobSpec.fromJson(new JsonObject().put("objective", "distribution-matching"));
        DistillJobSpec gm = DistillJobSpec.fromJson(new JsonObject().put("objective", "gradient-matching"));
        assertTrue(dm.condenses() && gm.condenses());
        assertEquals("convnet", gm.network());
        assertEquals("real", gm.imageInit());
        assertEquals(0.1, dm.imageLearningRate());
        assertEquals(0.01, gm.imageLearningRate());
        assertEquals(32, gm.width());
        assertEquals(gm.toJson(), DistillJobSpec.fromJson(gm.toJson()).toJson());
    }

    @Test
    void unknownFieldsAndWrongTypesAreRefused() {
        assertRefused(new JsonObject().put("stpes", 3), "unknown field 'stpes'");
        assertRefused(new JsonObject().put("steps", "ten"), "steps must be a number");
        assertRefused(new JsonObject().put("steps", 2.5), "steps must be an integer");
        assertRefused(new JsonObject().put("steps", 3_000_000_000L), "steps is out of range");
        assertRefused(new JsonObject().put("hidden", 16), "hidden must be an array of integers");
        assertRefused(new JsonObject().put("hidden", new JsonArray().add("16")), "hidden must be an array of integers");
        assertRefused(new JsonObject().put("pretrained", "a.zip"), "pretrained must be an array of file names");
        assertRefused(new JsonObject().put("network", 1), "network must be a string");
        assertRefused(new JsonObject().put("seed", 1.5), "seed must be an integer");
    }

    private static void assertRefused(JsonObject body, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistillJobSpec.fromJson(body));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }
}
