package io.distillmesh.messaging.vertx;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** How a parsed JSON value is named to a client: "a string", "an array", ... (never a Java class name). */
final class JsonKinds {
    private JsonKinds() {
    }

    static String of(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof JsonObject) {
            return "an object";
        }
        if (value instanceof JsonArray) {
            return "an array";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
