package io.distillmesh.distiller;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistillerSettingsTest {
    @Test
    void theDefaultsRunOneJobAtATimeWithinFourGibibytes() {
        DistillerSettings settings = DistillerSettings.fromConfig(DistillerVerticle.DEFAULTS);
        assertEquals(1, settings.concurrency());
        assertEquals(4096L * 1024 * 1024, settings.memoryBudgetBytes());
        assertTrue(settings.artifactsDir().isAbsolute());
    }

    @Test
    void settingsThatCannotWorkAreRefusedAtStart() {
        assertRefused(new JsonObject().put("jobs.concurrency", 0), "jobs.concurrency must be at least 1");
        assertRefused(new JsonObject().put("jobs.memory-budget-mb", 0), "jobs.memory-budget-mb must be at least 1");
        assertRefused(new JsonObject().put("progress.interval-ms", -5), "progress.interval-ms must be >= 0");
    }

    private static void assertRefused(JsonObject override, String reason) {
        JsonObject conf = DistillerVerticle.DEFAULTS.copy().mergeIn(override);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistillerSettings.fromConfig(conf));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
