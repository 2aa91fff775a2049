package io.distillmesh.messaging.vertx;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A service's configuration: its defaults, overridden by a JSON file, overridden by environment
 * variables. Keys are flat ({@code kafka.bootstrap.servers}); the variable for a key is DM_ plus the key
 * upper-cased with dots and dashes as underscores ({@code DM_KAFKA_BOOTSTRAP_SERVERS}). Only keys the
 * defaults declare are read from the environment, so every variable a service reads is listed there.
 */
public final class ServiceConfig {
    private ServiceConfig() {
    }

    public static JsonObject load(JsonObject defaults, Path file, Map<String, String> env) {
        JsonObject config = defaults.copy();
        if (file != null) {
            try {
                config.mergeIn(new JsonObject(Files.readString(file)));
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": cannot read config file: " + e.getMessage(), e);
            } catch (DecodeException e) {
                throw new IllegalArgumentException(file + ": not a JSON object: " + e.getMessage(), e);
            }
        }
        for (String key : defaults.fieldNames()) {
            String value = env.get(envName(key));
            if (value != null) {
                Object current = defaults.getValue(key);
                config.put(key, coerce(key, value, current));
            }
        }
        return config;
    }

    public static String envName(String key) {
        return "DM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Object coerce(String key, String value, Object like) {
        try {
            if (like instanceof Integer) {
                return Integer.parseInt(value.trim());
            }
            if (like instanceof Long) {
                return Long.parseLong(value.trim());
            }
            if (like instanceof Number) {
                return Double.parseDouble(value.trim());
            }
            if (like instanceof Boolean) {
                return Boolean.parseBoolean(value.trim());
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(envName(key) + "=" + value + " is not a number", e);
        }
    }
}
