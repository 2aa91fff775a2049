package io.distillmesh.messaging.vertx;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;

/**
 * Reads a request body as one JSON object, strictly: a body that is not JSON, not an object, or has a key twice
 * (Jackson's duplicate detection; Vert.x alone keeps the last) is refused with an {@link IllegalArgumentException}
 * whose message says what is wrong, for a 400. Read fields with {@link JsonFields}.
 */
public final class StrictJsonBody {
    private StrictJsonBody() {
    }

    public static JsonObject of(RoutingContext ctx) {
        return parse(ctx.body().buffer());
    }

    public static JsonObject parse(Buffer body) {
        if (body == null || body.length() == 0) {
            throw new IllegalArgumentException("request body must be a JSON object, got nothing");
        }
        Object value;
        try (JsonParser parser = JacksonCodec.createParser(body)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            value = JacksonCodec.fromParser(parser, Object.class);
        } catch (DecodeException e) {
            throw new IllegalArgumentException("request body is not valid JSON: " + reason(e));
        } catch (IOException e) {
            throw new IllegalArgumentException("request body could not be read: " + e.getMessage());
        }
        if (!(value instanceof JsonObject object)) {
            throw new IllegalArgumentException("request body must be a JSON object, got " + JsonKinds.of(value));
        }
        return object;
    }

    private static String reason(DecodeException e) {
        if (e.getCause() instanceof JsonProcessingException jackson) {
            JsonLocation at = jackson.getLocation();
            return jackson.getOriginalMessage() + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
        return e.getMessage();
    }
}
