package io.distillmesh.teacher;

import io.distillmesh.messaging.vertx.BearerTokenAuth;
import io.distillmesh.messaging.vertx.JsonRequestBodies;
import io.distillmesh.messaging.vertx.OperationsRoutes;
import io.distillmesh.messaging.vertx.StrictJsonBody;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The teacher's HTTP surface. {@code POST /runs} (bearer token when configured): take a run, 202 with its status
 * and Location once it streams; the same run asked for again 200; 400 for a spec it cannot serve, 409 for a run id
 * taken by another spec, 429 with Retry-After while {@code runs.concurrency} runs stream. {@code GET /runs},
 * {@code GET /runs/{id}}; {@code GET /health} (the models loaded, how many runs), {@code GET /metrics}.
 */
final class TeacherApi {
    private final Vertx vertx;
    private final JsonObject conf;
    private final TeacherRuns runs;
    private final TeacherModels models;
    private final String defaultModel;

    TeacherApi(Vertx vertx, JsonObject conf, TeacherRuns runs, TeacherModels models, String defaultModel) {
        this.vertx = vertx;
        this.conf = conf;
        this.runs = runs;
        this.models = models;
        this.defaultModel = defaultModel;
    }

    Router router(PrometheusMeterRegistry registry) {
        Router router = Router.router(vertx);
        router.route().handler(JsonRequestBodies.handler());
        router.post("/runs").handler(BearerTokenAuth.fromConfig(conf, "teacher")).handler(this::startRun);
        router.get("/runs").handler(ctx -> OperationsRoutes.json(ctx, 200,
                new JsonArray(runs.all().stream().map(RunStatus::toJson).toList())));
        router.get("/runs/:id").handler(this::getRun);
        OperationsRoutes.mount(router, registry, this::health);
        return router;
    }

    private JsonObject health() {
        return new JsonObject().put("service", "teacher").put("models", new JsonArray(models.loadedNames()))
                .put("runs", runs.all().size());
    }

    private void startRun(RoutingContext ctx) {
        RunSpec spec;
        try {
            spec = RunSpec.fromJson(StrictJsonBody.of(ctx), defaultModel);
        } catch (RuntimeException e) {
            OperationsRoutes.badRequest(ctx, e.getMessage());
            return;
        }
        runs.admit(spec).onSuccess(admission -> {
            ctx.response().putHeader("Location", "/runs/" + spec.runId());
            OperationsRoutes.json(ctx, admission.created() ? 202 : 200, admission.status().toJson());
        }).onFailure(e -> refused(ctx, spec, e));
    }

    private static void refused(RoutingContext ctx, RunSpec spec, Throwable e) {
        if (e instanceof RunsBusyException busy) {
            ctx.response().putHeader("Retry-After", Long.toString(busy.retryAfterSeconds()));
            OperationsRoutes.json(ctx, 429, new JsonObject().put("error", e.getMessage()));
        } else if (e instanceof RunConflictException) {
            OperationsRoutes.json(ctx, 409, new JsonObject().put("error", e.getMessage()));
        } else if (e instanceof IllegalArgumentException) {
            OperationsRoutes.badRequest(ctx, e.getMessage());
        } else {
            System.err.println("teacher: run '" + spec.runId() + "' could not be set up: " + e);
            OperationsRoutes.json(ctx, 503, new JsonObject().put("error", "run '" + spec.runId()
                    + "' could not be set up; the teacher's log has the cause"));
        }
    }

    private void getRun(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        runs.get(id).ifPresentOrElse(status -> OperationsRoutes.json(ctx, 200, status.toJson()),
                () -> OperationsRoutes.notFound(ctx, "no run '" + id + "'"));
    }
}
