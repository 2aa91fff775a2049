package io.distillmesh.teacher;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TeacherSettingsTest {
    @Test
    void theDefaultsTakeTwoRunsAtOnceWithOneWorkLoopOverEightPartitions() {
        TeacherSettings settings = TeacherSettings.fromConfig(TeacherVerticle.DEFAULTS);
        assertEquals(2, settings.concurrency());
        assertEquals(8, settings.partitions());
        assertEquals(1, settings.workers());
        assertEquals(15_000, settings.transactionTimeoutMs());
        assertEquals(Path.of("models"), settings.modelsDir());
        assertEquals("teacher-cnn.zip", settings.defaultModel());
    }

    @Test
    void settingsThatCannotWorkAreRefusedAtStart() {
        assertRefused(new JsonObject().put("runs.concurrency", 0), "runs.concurrency must be at least 1, got 0");
        assertRefused(new JsonObject().put("runs.work.partitions", 0), "runs.work.partitions must be at least 1");
        assertRefused(new JsonObject().put("teacher.workers", -1), "teacher.workers must be at least 1, got -1");
    }

    @Test
    void aConfiguredInstanceNamesTheReplicaAndABlankOneFallsBackToTheHostName() {
        assertEquals("teacher-a", TeacherSettings.fromConfig(TeacherVerticle.DEFAULTS.copy()
                .put("teacher.instance", "teacher-a")).replicaName());
        assertFalse(TeacherSettings.fromConfig(TeacherVerticle.DEFAULTS).replicaName().isBlank());
    }

    private static void assertRefused(JsonObject override, String reason) {
        JsonObject conf = TeacherVerticle.DEFAULTS.copy().mergeIn(override);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TeacherSettings.fromConfig(conf));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
