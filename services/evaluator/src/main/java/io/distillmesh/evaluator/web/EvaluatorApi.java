package io.distillmesh.evaluator.web;

import io.distillmesh.evaluator.checkpoint.ArtifactDirectory;
import io.distillmesh.evaluator.checkpoint.CheckpointEvaluationLoop;
import io.distillmesh.evaluator.distilled.DistilledImages;
import io.distillmesh.evaluator.distilled.DistilledObjective;
import io.distillmesh.evaluator.distilled.DistilledSetEvaluator;
import io.distillmesh.evaluator.subject.DistilledSetSubject;
import io.distillmesh.evaluator.subject.ModelFileSubject;
import io.distillmesh.messaging.records.DistilledSetRecord;
import io.distillmesh.messaging.vertx.BearerTokenAuth;
import io.distillmesh.messaging.vertx.JsonRequestBodies;
import io.distillmesh.messaging.vertx.OperationsRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The evaluator's HTTP surface. {@code GET /results}, {@code GET /results/{id}}: the board;
 * {@code POST /evaluations} (bearer token when configured): evaluate a model file or a distilled-set artifact of
 * the artifact directory; {@code GET /events}: the live feed; {@code GET /images/reference}: real test images per
 * class; {@code GET /distillations}, {@code GET /distillations/{job}}: each distillation job's meta-loss curve and
 * step sizes; {@code GET /images/distilled/{job}/{kind}.png}: a distilled set's images and its baselines';
 * {@code GET /health}, {@code GET /metrics}; the dashboard at {@code /} and Chart.js from its WebJar.
 */
public final class EvaluatorApi {
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
    private final DistillationJobs jobs;
    private final DistilledSetEvaluator distilledSets;

    public EvaluatorApi(Vertx vertx, JsonObject conf, ResultsBoard board, CheckpointEvaluationLoop loop,
                 ArtifactDirectory artifacts, ServerSentEvents events, JsonObject referenceImages,
                 DistillationJobs jobs, DistilledSetEvaluator distilledSets) {
        this.vertx = vertx;
        this.conf = conf;
        this.board = board;
        this.loop = loop;
        this.artifacts = artifacts;
        this.events = events;
        this.referenceImages = referenceImages;
        this.jobs = jobs;
        this.distilledSets = distilledSets;
    }

    public Router router(PrometheusMeterRegistry registry, Supplier<JsonObject> health) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.response().putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            ctx.next();
        });
        router.route().handler(JsonRequestBodies.handler());
        router.get("/results").handler(ctx -> OperationsRoutes.json(ctx, 200, board.subjects()));
        router.get("/results/:id").handler(this::getResult);
        router.post("/evaluations").handler(BearerTokenAuth.fromConfig(conf, "evaluator")).handler(this::requestEvaluation);
        router.get("/events").handler(ctx -> events.connect(ctx, "snapshot", board.subjects().encode()));
        router.get("/images/reference").handler(ctx -> OperationsRoutes.json(ctx, 200, referenceImages));
        router.get("/distillations").handler(ctx -> OperationsRoutes.json(ctx, 200, jobs.all()));
        router.get("/distillations/:job").handler(this::getDistillation);
        router.get("/images/distilled/:job/:file").handler(this::getDistilledImage);
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

    private void getDistillation(RoutingContext ctx) {
        String job = ctx.pathParam("job");
        jobs.job(job).ifPresentOrElse(j -> OperationsRoutes.json(ctx, 200, j),
                () -> OperationsRoutes.notFound(ctx, "no distillation job '" + job + "' on dm.distill.progress or dm.distilled"));
    }

    private void getDistilledImage(RoutingContext ctx) {
        String job = ctx.pathParam("job");
        String file = ctx.pathParam("file");
        String kind = file.endsWith(".png") ? file.substring(0, file.length() - 4) : "";
        if (!DistilledImages.KINDS.contains(kind)) {
            OperationsRoutes.notFound(ctx, "no image '" + file + "', known: " + DistilledImages.KINDS.stream()
                    .map(k -> k + ".png").toList());
            return;
        }
        Optional<String> artifact = board.result(DistilledSetSubject.PREFIX + job, ResultsBoard.SUMMARY_POINT)
                .map(r -> r.settings().getString("artifactPath"))
                .or(() -> jobs.distilled(job).map(DistilledSetRecord::artifactPath));
        if (artifact.isEmpty()) {
            OperationsRoutes.notFound(ctx, "no distilled set for job '" + job + "'");
            return;
        }
        vertx.executeBlocking(() -> distilledSets.png(job, artifact.get(), kind), false).onSuccess(png -> png.ifPresentOrElse(
                bytes -> ctx.response().putHeader("Content-Type", "image/png").putHeader("Cache-Control", "no-cache")
                        .end(Buffer.buffer(bytes)),
                () -> OperationsRoutes.notFound(ctx, "job '" + job + "' has no " + kind + " images")))
                .onFailure(e -> OperationsRoutes.notFound(ctx, "no images for job '" + job + "': " + e.getMessage()));
    }

    private void requestEvaluation(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            OperationsRoutes.badRequest(ctx, e.getMessage());
            return;
        }
        if (body != null && body.containsKey("jobId")) {
            requestDistilledEvaluation(ctx, body);
            return;
        }
        EvaluationRequest request;
        try {
            request = EvaluationRequest.fromJson(body);
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

    /** A distilled set: the artifact named, or the one its job announced (404 when none was); checked before queueing. */
    private void requestDistilledEvaluation(RoutingContext ctx, JsonObject body) {
        DistilledEvaluationRequest request;
        try {
            request = DistilledEvaluationRequest.fromJson(body);
        } catch (RuntimeException e) {
            OperationsRoutes.badRequest(ctx, e.getMessage());
            return;
        }
        Optional<DistilledSetRecord> announced = jobs.distilled(request.jobId());
        if (request.artifactPath() == null && announced.isEmpty()) {
            OperationsRoutes.notFound(ctx, "no distilled set announced for job '" + request.jobId()
                    + "' on dm.distilled; name its artifactPath to evaluate an artifact file");
            return;
        }
        vertx.executeBlocking(() -> {
            DistilledSetSubject subject = request.artifactPath() == null
                    ? DistilledSetSubject.announced(announced.get(), distilledSets)
                    : new DistilledSetSubject(request.jobId(), request.artifactPath(), request.objective(), null,
                    distilledSets.settings().replicas(), null, distilledSets);
            if (request.objective() != null || request.replicas() != null) {
                subject = new DistilledSetSubject(subject.jobId(), subject.artifactPath(),
                        request.objective() != null ? request.objective() : subject.objective(), subject.spec(),
                        request.replicas() != null ? request.replicas() : subject.replicas(), subject.announcement(),
                        distilledSets);
            }
            if (distilledSets.isCondensed(subject.artifactPath())) {
                distilledSets.readCondensed(subject.artifactPath(), null);
            } else {
                var set = distilledSets.read(subject.artifactPath());
                DistilledObjective.parse(subject.objective(), subject.spec(), set.schedule().classes());
            }
            return subject;
        }, false).onSuccess(subject -> {
            loop.request(subject);
            OperationsRoutes.json(ctx, 202, new JsonObject().put("subjectId", subject.subjectId())
                    .put("key", subject.key()).put("artifactPath", subject.artifactPath())
                    .put("replicas", subject.replicas()).put("queued", loop.queued()));
        }).onFailure(e -> OperationsRoutes.badRequest(ctx, e.getMessage()));
    }
}
