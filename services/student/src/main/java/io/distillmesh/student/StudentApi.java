package io.distillmesh.student;

import io.distillmesh.messaging.vertx.OperationsRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The student's HTTP surface: {@code GET /status} (its spec, state, pass, samples trained, last loss, training
 * path, and the error once FAILED); {@code GET /health}, 503 once the student has FAILED (the error says why);
 * {@code GET /metrics}.
 */
final class StudentApi {
    private final Vertx vertx;
    private final StudentTrainingLoop loop;

    StudentApi(Vertx vertx, StudentTrainingLoop loop) {
        this.vertx = vertx;
        this.loop = loop;
    }

    Router router(PrometheusMeterRegistry registry) {
        Router router = Router.router(vertx);
        router.get("/status").handler(ctx -> OperationsRoutes.json(ctx, 200, status(loop)));
        OperationsRoutes.mount(router, registry, this::health, () -> loop.state() != StudentTrainingLoop.State.FAILED);
        return router;
    }

    static JsonObject status(StudentTrainingLoop loop) {
        JsonObject json = new JsonObject().put("spec", loop.spec().toJson()).put("state", loop.state().name())
                .put("pass", loop.pass()).put("samplesTrained", loop.samplesTrained())
                .put("loss", Double.isNaN(loop.lastLoss()) ? null : loop.lastLoss())
                .put("training", loop.trainingPath());
        return loop.error() == null ? json : json.put("error", loop.error());
    }

    private JsonObject health() {
        JsonObject json = new JsonObject().put("service", "student").put("student", loop.spec().studentId())
                .put("state", loop.state().name());
        return loop.error() == null ? json : json.put("error", loop.error());
    }
}
