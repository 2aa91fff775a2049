package io.distillmesh.teacher;

import io.distillmesh.core.data.DataSets;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.kafka.TopicAdmin;
import io.distillmesh.messaging.vertx.BearerTokenAuth;
import io.distillmesh.messaging.vertx.JsonRequestBodies;
import io.distillmesh.messaging.vertx.OperationsRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The teacher service: REST to start and watch runs; each run streams soft targets on a worker.
 * Config: http.port, kafka.* (bootstrap servers, TLS/SASL), auth.token (guards POST /runs), models.dir,
 * teacher.model (the default model file in it), data.dir, topic.replication.factor.
 */
public final class TeacherVerticle extends VerticleBase {
    public static final JsonObject DEFAULTS = KafkaSettings.CONFIG_DEFAULTS.copy()
            .put("http.port", 8081)
            .put("http.host", "0.0.0.0")
            .put(BearerTokenAuth.CONFIG_KEY, "")
            .put("models.dir", "models")
            .put("teacher.model", "teacher-cnn.zip")
            .put("data.dir", "")
            .put("topic.replication.factor", 1);
    private final PrometheusMeterRegistry registry;
    private final Map<String, RunStatus> runs = new ConcurrentHashMap<>();
    private final Map<String, TeacherNetwork> teachers = new ConcurrentHashMap<>();
    private Path modelsDir;
    private String defaultModel;
    private DataSets dataSets;
    private Producer<String, byte[]> producer;
    private TopicAdmin topics;
    private WorkerExecutor workers;
    private HttpServer server;

    public TeacherVerticle(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Future<?> start() {
        JsonObject conf = DEFAULTS.copy().mergeIn(config());
        KafkaSettings kafka = KafkaSettings.fromConfig(conf);
        workers = vertx.createSharedWorkerExecutor("teacher-runs", 2, 7, TimeUnit.DAYS);
        return workers.executeBlocking(() -> {
            modelsDir = Path.of(conf.getString("models.dir"));
            defaultModel = conf.getString("teacher.model");
            teacher(defaultModel);
            dataSets = new DataSets(FashionMnist.dataDir(conf.getString("data.dir")));
            producer = new KafkaProducer<>(kafka.producer("teacher"));
            topics = new TopicAdmin(kafka, conf.getInteger("topic.replication.factor"));
            return null;
        }).compose(v -> {
            Router router = Router.router(vertx);
            router.route().handler(JsonRequestBodies.handler());
            router.post("/runs").handler(BearerTokenAuth.fromConfig(conf, "teacher")).handler(this::startRun);
            router.get("/runs").handler(ctx -> OperationsRoutes.json(ctx, 200,
                    new JsonArray(runs.values().stream().map(RunStatus::toJson).toList())));
            router.get("/runs/:id").handler(this::getRun);
            OperationsRoutes.mount(router, registry, () -> new JsonObject().put("service", "teacher")
                    .put("models", new JsonArray(teachers.keySet().stream().sorted().toList())).put("runs", runs.size()));
            return vertx.createHttpServer().requestHandler(router).listen(conf.getInteger("http.port"), conf.getString("http.host"));
        }).onSuccess(s -> server = s);
    }

    /** The port the REST API listens on (useful when configured as 0). */
    public int port() {
        return server.actualPort();
    }

    private void startRun(RoutingContext ctx) {
        RunSpec spec;
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw new IllegalArgumentException("request body must be a JSON object");
            }
            spec = RunSpec.fromJson(body, defaultModel);
        } catch (RuntimeException e) {
            OperationsRoutes.badRequest(ctx, e.getMessage());
            return;
        }
        if (runs.containsKey(spec.runId())) {
            OperationsRoutes.badRequest(ctx, "run '" + spec.runId() + "' already exists");
            return;
        }
        workers.executeBlocking(() -> {
            TeacherNetwork teacher = teacher(spec.model());
            teacher.requirePairs(spec.fspPairs());
            var data = dataSets.get(spec.dataset(), spec.split().equals("train")
                    ? FashionMnist.Split.TRAIN : FashionMnist.Split.TEST);
            topics.ensureRunTopic(Topics.softTargets(spec.runId()));
            if (spec.streamsFsp()) {
                topics.ensureRunTopic(Topics.fsp(spec.runId()));
            }
            RunStatus status = new RunStatus(spec, (long) spec.epochs() * Math.min(spec.limit(), data.size()));
            if (runs.putIfAbsent(spec.runId(), status) != null) {
                throw new IllegalArgumentException("run '" + spec.runId() + "' already exists");
            }
            workers.executeBlocking(() -> {
                new TeacherRunStreamer(teacher, data, status, producer, registry).run();
                return null;
            });
            return status;
        }).onSuccess(status -> OperationsRoutes.json(ctx, 202, status.toJson()))
                .onFailure(e -> OperationsRoutes.badRequest(ctx, e.getMessage()));
    }

    private TeacherNetwork teacher(String name) {
        return teachers.computeIfAbsent(name, n -> TeacherNetwork.load(modelsDir.resolve(n)));
    }

    private void getRun(RoutingContext ctx) {
        RunStatus status = runs.get(ctx.pathParam("id"));
        if (status == null) {
            OperationsRoutes.notFound(ctx, "no run '" + ctx.pathParam("id") + "'");
        } else {
            OperationsRoutes.json(ctx, 200, status.toJson());
        }
    }

    /** Status of a run, or null (for the standalone driver and tests in the same JVM). */
    public RunStatus run(String runId) {
        return runs.get(runId);
    }

    @Override
    public Future<?> stop() {
        return workers.executeBlocking(() -> {
            if (producer != null) {
                producer.close();
            }
            if (topics != null) {
                topics.close();
            }
            return null;
        }).eventually(() -> {
            workers.close();
            return Future.succeededFuture();
        });
    }
}
