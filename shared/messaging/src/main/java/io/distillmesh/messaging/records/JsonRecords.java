package io.distillmesh.messaging.records;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Parsing helpers shared by the JSON records of the mesh; every failure is a {@link RecordFormatException}. */
final class JsonRecords {
    private JsonRecords() {
    }

    static JsonObject parse(byte[] bytes, String kind) {
        try {
            return new JsonObject(Buffer.buffer(bytes));
        } catch (RuntimeException e) {
            throw new RecordFormatException(kind + " record is not JSON: " + e.getMessage());
        }
    }

    static void requireVersion(JsonObject json, int expected, String kind) {
        Object version = json.getValue("v");
        if (!(version instanceof Number number) || number.intValue() != expected) {
            throw new RecordFormatException("unknown " + kind + " record version " + version);
        }
    }

    static String required(JsonObject json, String field) {
        String value = json.getString(field);
        if (value == null || value.isBlank()) {
            throw new RecordFormatException("record lacks the field " + field);
        }
        return value;
    }

    static double[] doubles(JsonArray array) {
        if (array == null) {
            return new double[0];
        }
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.getDouble(i);
        }
        return values;
    }
}
