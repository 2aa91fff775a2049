package io.distillmesh.messaging.vertx;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrictJsonBodyTest {

    @Test
    void readsAnObjectWithItsNestedValues() {
        JsonObject json = StrictJsonBody.parse(Buffer.buffer("{\"a\":1,\"b\":{\"c\":[1,\"x\"]}}"));
        assertEquals(1, json.getInteger("a"));
        assertEquals(new JsonArray().add(1).add("x"), json.getJsonObject("b").getJsonArray("c"));
    }

    @Test
    void aKeyTwiceIsRefusedNamingIt() {
        assertTrue(refused("{\"a\":1,\"a\":2}")
                .startsWith("request body is not valid JSON: Duplicate field 'a' (line 1,"));
        assertTrue(refused("{\"b\":{\"c\":1,\"c\":1}}").startsWith("request body is not valid JSON: Duplicate field 'c'"));
    }

    @Test
    void whatIsNotOneJsonObjectIsRefusedSayingWhatItIs() {
        assertEquals("request body must be a JSON object, got an array", refused("[]"));
        assertEquals("request body must be a JSON object, got a number", refused("7"));
        assertEquals("request body must be a JSON object, got null", refused("null"));
        assertEquals("request body must be a JSON object, got nothing", refused(""));
        assertEquals("request body is not valid JSON: Unexpected trailing token", refused("{} {}"));
    }

    private static String refused(String body) {
        return assertThrows(IllegalArgumentException.class, () -> StrictJsonBody.parse(Buffer.buffer(body))).getMessage();
    }
}
