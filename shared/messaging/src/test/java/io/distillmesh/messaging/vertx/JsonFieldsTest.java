package io.distillmesh.messaging.vertx;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonFieldsTest {

    @Test
    void valuesAreTakenAsWrittenAndAbsentOnesFallBack() {
        JsonFields fields = fields("{\"n\":3,\"l\":9007199254740993,\"x\":2.5,\"s\":\"t\",\"w\":10.0}");
        assertEquals(3, fields.integer("n", 0));
        assertEquals(9007199254740993L, fields.longInteger("l", 0));
        assertEquals(2.5, fields.number("x", 0));
        assertEquals(3.0, fields.number("n", 0));
        assertEquals("t", fields.string("s", null));
        assertEquals(10, fields.integer("w", 0));
        assertEquals(7, fields.integer("absent", 7));
    }

    @Test
    void numbersThatDoNotFitOrAreNotIntegersAreRefused() {
        assertEquals("n must be an integer from -2147483648 to 2147483647, got 4294967297",
                refused("{\"n\":4294967297}", f -> f.integer("n", 0)));
        assertEquals("n must be an integer from -2147483648 to 2147483647, got 1.5",
                refused("{\"n\":1.5}", f -> f.integer("n", 0)));
        assertEquals("n must be an integer from -2147483648 to 2147483647, got 1.0E300",
                refused("{\"n\":1e300}", f -> f.integer("n", 0)));
        assertEquals("n must be an integer from -9223372036854775808 to 9223372036854775807, got 9223372036854775808",
                refused("{\"n\":9223372036854775808}", f -> f.longInteger("n", 0)));
        assertEquals("n must be a finite number, got Infinity", refused("{\"n\":1e400}", f -> f.number("n", 0)));
    }

    @Test
    void aValueOfAnotherTypeIsRefusedNamingBoth() {
        assertEquals("s must be a string, got a number", refused("{\"s\":1}", f -> f.string("s", "")));
        assertEquals("n must be an integer from -2147483648 to 2147483647, got a string",
                refused("{\"n\":\"1\"}", f -> f.integer("n", 0)));
        assertEquals("n must be a number, got an object", refused("{\"n\":{}}", f -> f.number("n", 0)));
        assertEquals("n must be a number, got null", refused("{\"n\":null}", f -> f.number("n", 0)));
        assertEquals("id (a string) is required", refused("{}", f -> f.requiredString("id")));
    }

    @Test
    void aFieldNotAllowedIsRefused() {
        assertEquals("unknown field 'z', allowed: [n, s]", assertThrows(IllegalArgumentException.class,
                () -> JsonFields.of(StrictJsonBody.parse(Buffer.buffer("{\"z\":1}")), Set.of("s", "n"))).getMessage());
    }

    private static JsonFields fields(String json) {
        return JsonFields.of(StrictJsonBody.parse(Buffer.buffer(json)), Set.of("n", "l", "x", "s", "w", "absent", "id"));
    }

    private static String refused(String json, Function<JsonFields, Object> read) {
        return assertThrows(IllegalArgumentException.class, () -> read.apply(fields(json))).getMessage();
    }
}
