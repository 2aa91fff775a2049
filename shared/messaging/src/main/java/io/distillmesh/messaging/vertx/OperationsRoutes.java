package io.distillmesh.messaging.vertx;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What every service's router has: /health, /metrics, and the answer to a body over the size limit. */
public final class OperationsRoutes {
    private OperationsRoutes() {
    }

    public static void mount(Router router, PrometheusMeterRegistry registry, Supplier<JsonObject> health) {
        mount(router, registry, health, () -> true);
    }

    /**
     * As {@link #mount(Router, PrometheusMeterRegistry, Supplier)}, but while {@code up} says false /health answers
     * 503 with status DOWN, so that a readiness probe takes the service out.
     */
    public static void mount(Router router, PrometheusMeterRegistry registry, Supplier<JsonObject> health,
                             BooleanSupplier up) {
        router.get("/health").handler(ctx -> respondHealth(ctx, up.getAsBoolean(), health.get()));
        router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
        router.errorHandler(413, JsonRequestBodies::refuseOversized);
    }

    private static void respondHealth(RoutingContext ctx, boolean up, JsonObject status) {
        JsonObject body = new JsonObject().put("status", "UP").mergeIn(status);
        if (!up) {
            body.put("status", "DOWN");
            ctx.response().setStatusCode(503);
        }
        ctx.response().putHeader("content-type", "application/json").end(body.encode());
    }

    /** A 400 with the reason as JSON. */
    public static void badRequest(RoutingContext ctx, String reason) {
        ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", reason).encode());
    }

    public static void notFound(RoutingContext ctx, String reason) {
        ctx.response().setStatusCode(404).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", reason).encode());
    }

    public static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(body instanceof JsonObject j ? j.encode() : io.vertx.core.json.Json.encode(body));
    }
}
