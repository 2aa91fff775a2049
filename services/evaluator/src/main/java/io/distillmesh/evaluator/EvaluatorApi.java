package io.distillmesh.evaluator;

import io.distillmesh.messaging.vertx.BearerTokenAuth;
import io.distillmesh.messaging.vertx.OperationsRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.function.Supplier;

/**
 * The evaluator's HTTP surface. {@code GET /results}, {@code GET /results/{id}}: the board;
 * {@code POST /evaluations} (bearer token when configured): evaluate a model file of the artifact directory;
 * {@code GET /events}: the live feed; {@code GET /images/reference}: real test images per class;
 * {@code GET /health}, {@code GET /metrics}; the dashboard at {@code /} and Chart.js from its WebJar.
 */
final class EvaluatorApi {
    static final int BODY_LIMIT = 64 * 1024;
    /** The dashboard loads only its own scripts and styles; JSON and events come from this origin. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
    private final Vertx vertx;
    private final JsonObject conf;
    private final ResultsBoard board;
    private final CheckpointEvaluationLoop loop;
    private final ArtifactDirectory artifacts;
    private final ServerSentEvents events;
    private final JsonObject referenceImages;

    EvaluatorApi(Vertx vertx, JsonObject conf, ResultsBoard board, CheckpointEvaluationLoop loop,
                 ArtifactDirectory artifacts, ServerSentEvents events, JsonObject referenceImages) {
        this.vertx = vertx;
        this.conf = conf;
        this.board = board;
        this.loop = loop;
        this.artifacts = artifacts;
        this.events = events;
        this.referenceImages = referenceImages;
    }

    Router router(PrometheusMeterRegistry registry, Supplier<JsonObject> health) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.response().putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            ctx.next();
        });
        router.route().handler(BodyHandler.create().setBodyLimit(BODY_LIMIT));
        router.get("/results").handler(ctx -> OperationsRoutes.json(ctx, 200, board.subjects()));
        router.get("/results/:id").handler(this::getResult);
        router.post("/evaluations").handler(BearerTokenAuth.fromConfig(conf, "evaluator")).handler(this::requestEvaluation);
        router.get("/events").handler(ctx -> events.connect(ctx, "snapshot", board.subjects().encode()));
        router.get("/images/reference").handler(ctx -> OperationsRoutes.json(ctx, 200, referenceImages));
        OperationsRoutes.mount(router, registry, health);
        router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
        router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
        return router;
    }

    private void getResult(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        board.subject(id).ifPresentOrElse(subject -> OperationsRoutes.json(ctx, 200, subject),
                () -> OperationsRoutes.notFound(ctx, "no results for subject '" + id + "'"));
    }

    private void requestEvaluation(RoutingContext ctx) {
        EvaluationRequest request;
        try {
            request = EvaluationRequest.fromJson(ctx.body().asJsonObject());
        } catch (RuntimeException e) {
            OperationsRoutes.badRequest(ctx, e.getMessage());
            return;
        }
        vertx.executeBlocking(() -> artifacts.requireModelFile(request.modelPath()), false).onSuccess(file -> {
            ModelFileSubject subject = new ModelFileSubject(request.studentId(),
                    artifacts.relative(artifacts.resolve(request.modelPath())), artifacts);
            loop.request(subject);
            OperationsRoutes.json(ctx, 202, new JsonObject().put("subjectId", subject.subjectId())
                    .put("key", subject.key()).put("modelPath", subject.modelPath()).put("queued", loop.queued()));
        }).onFailure(e -> OperationsRoutes.badRequest(ctx, e.getMessage()));
    }
}
