package io.distillmesh.distiller;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.vertx.BearerTokenAuth;
import io.distillmesh.messaging.vertx.JsonRequestBodies;
import io.distillmesh.messaging.vertx.OperationsRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * The distiller's HTTP surface. {@code POST /jobs} (bearer token when configured): validate a job spec and
 * queue it, 202 with the job, 400 with the reason when it cannot run; {@code GET /jobs}, {@code GET /jobs/{id}};
 * {@code POST /jobs/{id}/cancel} or {@code DELETE /jobs/{id}} (bearer token): stop it within seconds, also in
 * the middle of an iteration; {@code GET /health}, {@code GET /metrics}. Validation and queueing run on a
 * worker: they read the file system and talk to Kafka.
 */
final class DistillerApi {
    private final Vertx vertx;
    private final JsonObject conf;
    private final DistillJobValidator validator;
    private final DistillJobQueue queue;

    DistillerApi(Vertx vertx, JsonObject conf, DistillJobValidator validator, DistillJobQueue queue) {
        this.vertx = vertx;
        this.conf = conf;
        this.validator = validator;
        this.queue = queue;
    }

    Router router(PrometheusMeterRegistry registry, Supplier<JsonObject> health) {
        Router router = Router.router(vertx);
        router.route().handler(JsonRequestBodies.handler());
        var guard = BearerTokenAuth.fromConfig(conf, "distiller");
        router.post("/jobs").handler(guard).handler(this::submit);
        router.get("/jobs").handler(ctx -> OperationsRoutes.json(ctx, 200,
                new JsonArray(queue.list().stream().map(DistillJobStatus::toJson).toList())));
        router.get("/jobs/:id").handler(this::get);
        router.post("/jobs/:id/cancel").handler(guard).handler(this::cancel);
        router.delete("/jobs/:id").handler(guard).handler(this::cancel);
        OperationsRoutes.mount(router, registry, health);
        return router;
    }

    private void submit(RoutingContext ctx) {
        String jobId;
        DistillJobSpec spec;
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw new IllegalArgumentException("request body must be a JSON object");
            }
            Object id = body.getValue("jobId");
            if (id != null && !(id instanceof String)) {
                throw new IllegalArgumentException("jobId must be a string");
            }
            jobId = id == null ? "distill-" + UUID.randomUUID().toString().substring(0, 8)
                    : Topics.requireValidRunId((String) id);
            spec = DistillJobSpec.fromJson(body);
        } catch (RuntimeException e) {
            OperationsRoutes.badRequest(ctx, e.getMessage());
            return;
        }
        vertx.executeBlocking(() -> queue.submit(jobId, validator.validate(spec)), false)
                .onSuccess(job -> OperationsRoutes.json(ctx, 202, job.toJson()))
                .onFailure(e -> {
                    if (e instanceof JobConflictException) {
                        OperationsRoutes.json(ctx, 409, new JsonObject().put("error", e.getMessage()));
                    } else if (e instanceof IllegalArgumentException) {
                        OperationsRoutes.badRequest(ctx, e.getMessage());
                    } else {
                        ctx.fail(e);
                    }
                });
    }

    private void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        queue.get(id).ifPresentOrElse(job -> OperationsRoutes.json(ctx, 200, job.toJson()),
                () -> OperationsRoutes.notFound(ctx, "no job '" + id + "'"));
    }

    private void cancel(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        var job = queue.get(id);
        if (job.isEmpty()) {
            OperationsRoutes.notFound(ctx, "no job '" + id + "'");
            return;
        }
        vertx.executeBlocking(() -> queue.cancel(job.get()), false).onSuccess(accepted -> {
            if (accepted) {
                OperationsRoutes.json(ctx, 202, job.get().toJson());
            } else {
                OperationsRoutes.json(ctx, 409, new JsonObject().put("error", "job '" + id + "' has already finished: "
                        + job.get().state()).put("job", job.get().toJson()));
            }
        }).onFailure(ctx::fail);
    }
}
