package io.distillmesh.messaging.vertx;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceConfigTest {
    private static final JsonObject DEFAULTS = new JsonObject().put("http.port", 8081)
            .put("kafka.bootstrap.servers", "localhost:9092").put("student.alpha", 0.9).put("student.batch-size", 64);

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("teacher.json");
        Files.writeString(file, "{\"http.port\": 9000, \"kafka.bootstrap.servers\": \"kafka:9092\"}");
        JsonObject config = ServiceConfig.load(DEFAULTS, file, Map.of("DM_HTTP_PORT", "9100",
                "DM_STUDENT_BATCH_SIZE", "128", "DM_STUDENT_ALPHA", "0.5", "UNRELATED", "x"));
        assertEquals(9100, config.getInteger("http.port"));
        assertEquals("kafka:9092", config.getString("kafka.bootstrap.servers"));
        assertEquals(128, config.getInteger("student.batch-size"));
        assertEquals(0.5, config.getDouble("student.alpha"));
    }

    @Test
    void badInputNamesTheFileOrTheVariable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{not json");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ServiceConfig.load(DEFAULTS, file, Map.of()));
        assertTrue(bad.getMessage().startsWith(file.toString()), bad.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ServiceConfig.load(DEFAULTS, dir.resolve("absent.json"), Map.of()));
        assertTrue(missing.getMessage().contains("absent.json"), missing.getMessage());
        IllegalArgumentException number = assertThrows(IllegalArgumentException.class,
                () -> ServiceConfig.load(DEFAULTS, null, Map.of("DM_HTTP_PORT", "eighty")));
        assertTrue(number.getMessage().contains("DM_HTTP_PORT=eighty"), number.getMessage());
    }
}
