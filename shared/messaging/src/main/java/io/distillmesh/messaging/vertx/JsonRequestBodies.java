package io.distillmesh.messaging.vertx;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body handler of every REST API in the mesh: bodies are JSON of at most {@link #LIMIT} bytes (413 beyond).
 * File uploads are not handled, so a form or multipart request never makes Vert.x create its uploads directory
 * (the services run on a read-only root filesystem); it reaches the route and is refused there as not JSON.
 */
public final class JsonRequestBodies {
    public static final int LIMIT = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(JsonRequestBodies.class);

    private JsonRequestBodies() {
    }

    public static BodyHandler handler() {
        return BodyHandler.create(false).setBodyLimit(LIMIT);
    }

    /**
     * The router's answer to a body the handler refused as too large: one warning with the request and the limit
     * (a client's mistake, not the service's error) and a 413 that states the limit.
     */
    public static void refuseOversized(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String declared = request.getHeader("Content-Length");
        LOG.warn("refused {} {} from {}: body over the {}-byte limit ({}), 413", request.method(), request.path(),
                request.remoteAddress(), LIMIT, declared == null ? "sent in chunks" : declared + " bytes declared");
        if (!ctx.response().ended() && !ctx.response().closed()) {
            ctx.response().setStatusCode(413).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", "request body over the " + LIMIT + "-byte limit").encode());
        }
    }
}
