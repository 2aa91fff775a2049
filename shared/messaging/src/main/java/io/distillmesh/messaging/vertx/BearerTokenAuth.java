package io.distillmesh.messaging.vertx;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards endpoints that start, cancel or change work: when a token is configured, a request must carry
 * {@code Authorization: Bearer <token>} (the scheme in any letter case, RFC 7235), else it gets 401. With no token
 * configured every request passes (the standalone mode on loopback), and the service says so when it starts.
 */
public final class BearerTokenAuth implements Handler<RoutingContext> {
    public static final String CONFIG_KEY = "auth.token";
    private static final String SCHEME = "Bearer";
    private final byte[] expected;

    private BearerTokenAuth(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    /** The guard for a service config; logs a warning when the service runs open. */
    public static Handler<RoutingContext> fromConfig(JsonObject config, String service) {
        String token = config.getString(CONFIG_KEY, "");
        if (token.isBlank()) {
            System.err.println("WARNING " + service + ": no " + CONFIG_KEY + " configured, endpoints that change work"
                    + " are open; set " + ServiceConfig.envName(CONFIG_KEY) + " outside a loopback demo");
            return RoutingContext::next;
        }
        return new BearerTokenAuth(token.trim());
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (MessageDigest.isEqual(token(header), expected)) {
            ctx.next();
        } else {
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                    .putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", header == null ? "missing bearer token" : "invalid bearer token")
                            .encode());
        }
    }

    /** The credentials of a {@code Bearer} header, or nothing. */
    private static byte[] token(String header) {
        String value = header == null ? "" : header.trim();
        boolean bearer = value.length() > SCHEME.length() && value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                && Character.isWhitespace(value.charAt(SCHEME.length()));
        return bearer ? value.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
    }
}
