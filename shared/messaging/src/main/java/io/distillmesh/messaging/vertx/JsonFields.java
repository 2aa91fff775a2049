package io.distillmesh.messaging.vertx;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields of a JSON request object, read as written or refused: a field not allowed, a value of another type,
 * a number that is not an integer where one is asked for or that does not fit, each with an
 * {@link IllegalArgumentException} naming the field and what it must be (for a 400). Nothing is narrowed or rounded;
 * a number with a zero fraction ({@code 10.0}) is that integer. An absent field takes the fallback, an explicit
 * {@code null} is refused.
 */
public final class JsonFields {
    private final JsonObject json;

    private JsonFields(JsonObject json) {
        this.json = json;
    }

    public static JsonFields of(JsonObject json, Set<String> allowed) {
        for (String field : json.fieldNames()) {
            if (!allowed.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "', allowed: " + new TreeSet<>(allowed));
            }
        }
        return new JsonFields(json);
    }

    /** The value as parsed (a JsonObject, JsonArray, String, Number or Boolean), or null when absent. */
    public Object value(String field) {
        return json.getValue(field);
    }

    public String requiredString(String field) {
        if (!json.containsKey(field)) {
            throw new IllegalArgumentException(field + " (a string) is required");
        }
        return string(field, null);
    }

    public String string(String field, String fallback) {
        if (!json.containsKey(field)) {
            return fallback;
        }
        if (json.getValue(field) instanceof String s) {
            return s;
        }
        throw wrongType(field, "a string");
    }

    public int integer(String field, int fallback) {
        return json.containsKey(field)
                ? integral(field, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE)).intValue()
                : fallback;
    }

    public long longInteger(String field, long fallback) {
        return json.containsKey(field)
                ? integral(field, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)).longValue()
                : fallback;
    }

    public double number(String field, double fallback) {
        if (!json.containsKey(field)) {
            return fallback;
        }
        if (!(json.getValue(field) instanceof Number n)) {
            throw wrongType(field, "a number");
        }
        double value = n.doubleValue();
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number, got " + n);
        }
        return value;
    }

    private BigInteger integral(String field, BigInteger min, BigInteger max) {
        String expected = "an integer from " + min + " to " + max;
        if (!(json.getValue(field) instanceof Number n)) {
            throw wrongType(field, expected);
        }
        BigDecimal exact = exactly(n);
        if (exact == null || exact.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException(field + " must be " + expected + ", got " + n);
        }
        BigInteger value = exact.toBigInteger();
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be " + expected + ", got " + n);
        }
        return value;
    }

    private static BigDecimal exactly(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? new BigDecimal(d) : null;
        }
        return BigDecimal.valueOf(n.longValue());
    }

    private IllegalArgumentException wrongType(String field, String expected) {
        return new IllegalArgumentException(field + " must be " + expected + ", got "
                + JsonKinds.of(json.getValue(field)));
    }
}
