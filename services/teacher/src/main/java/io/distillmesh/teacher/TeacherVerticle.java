package io.distillmesh.teacher;

import io.distillmesh.core.data.DataSets;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.kafka.TopicAdmin;
import io.distillmesh.messaging.vertx.BearerTokenAuth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The teacher service: REST to start and watch runs ({@link TeacherApi}); up to {@code runs.concurrency} runs
 * stream soft targets at once ({@link TeacherRuns}). Config: http.*, kafka.* (bootstrap servers, TLS/SASL),
 * auth.token (guards POST /runs), models.dir, teacher.model (the default model file in it), data.dir,
 * topic.replication.factor, runs.concurrency.
 */
public final class TeacherVerticle extends VerticleBase {
    public static final JsonObject DEFAULTS = KafkaSettings.CONFIG_DEFAULTS.copy()
            .put("http.port", 8081)
            .put("http.host", "0.0.0.0")
            .put(BearerTokenAuth.CONFIG_KEY, "")
            .put("models.dir", "models")
            .put("teacher.model", "teacher-cnn.zip")
            .put("data.dir", "")
            .put("topic.replication.factor", 1)
            .put(TeacherRuns.CONCURRENCY_KEY, 2);
    private final PrometheusMeterRegistry registry;
    private Producer<String, byte[]> producer;
    private TopicAdmin topics;
    private TeacherRuns runs;
    private RunRecords records;
    private HttpServer server;

    public TeacherVerticle(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Future<?> start() {
        JsonObject conf = DEFAULTS.copy().mergeIn(config());
        KafkaSettings kafka = KafkaSettings.fromConfig(conf);
        int concurrency = TeacherRuns.concurrency(conf);
        System.out.println("teacher: Kafka at " + kafka.bootstrapServers() + " (kafka.bootstrap.servers)");
        TeacherModels models = new TeacherModels(Path.of(conf.getString("models.dir")));
        String defaultModel = conf.getString("teacher.model");
        return vertx.executeBlocking(() -> {
            models.get(defaultModel);
            DataSets dataSets = new DataSets(FashionMnist.dataDir(conf.getString("data.dir")));
            producer = new KafkaProducer<>(kafka.producer("teacher"));
            topics = new TopicAdmin(kafka, conf.getInteger("topic.replication.factor"));
            topics.ensure(Topics.RUNS, 1, Map.of("cleanup.policy", "compact"));
            return new RunSetup(models, dataSets, topics, producer, registry);
        }).compose(setup -> {
            records = new RunRecords(kafka, producer, defaultModel);
            runs = new TeacherRuns(vertx, concurrency, setup, records);
            return resumeRuns();
        }).compose(v -> {
            TeacherApi api = new TeacherApi(vertx, conf, runs, defaultModel);
            return vertx.createHttpServer().requestHandler(api.router(registry, () -> new JsonObject()
                            .put("service", "teacher").put("models", new JsonArray(models.loadedNames()))
                            .put("runs", runs.all().size())))
                    .listen(conf.getInteger("http.port"), conf.getString("http.host"));
        }).onSuccess(s -> server = s);
    }

    /**
     * Goes on with every run taken before this start (each from where its topics stop; finished ones end at once),
     * before the API answers, so that asking for one of them again finds it.
     */
    private Future<Void> resumeRuns() {
        return vertx.executeBlocking(records::load, false).compose(specs -> {
            Future<Void> chain = Future.succeededFuture();
            for (RunSpec spec : specs) {
                chain = chain.compose(v -> takeUp(spec));
            }
            return chain;
        });
    }

    /**
     * Takes one earlier run up again. While every slot is taken (finished runs hold theirs only a moment) it waits
     * for one in the background instead of being dropped, so the runs after it and the start go on.
     */
    private Future<Void> takeUp(RunSpec spec) {
        return runs.admit(spec)
                .onSuccess(a -> System.out.println("teacher: run " + spec.runId() + " taken up again at "
                        + a.status().produced() + " of " + a.status().total() + " records"))
                .<Void>mapEmpty()
                .recover(e -> {
                    if (e instanceof RunsBusyException busy) {
                        System.out.println("teacher: run " + spec.runId() + " waits for a free slot ("
                                + e.getMessage() + ")");
                        vertx.setTimer(TimeUnit.SECONDS.toMillis(busy.retryAfterSeconds()), t -> takeUp(spec));
                    } else {
                        System.err.println("teacher: run " + spec.runId() + " not taken up again: " + e.getMessage());
                    }
                    return Future.succeededFuture();
                });
    }

    /** The port the REST API listens on (useful when configured as 0). */
    public int port() {
        return server.actualPort();
    }

    /** Status of a run, or null (for the standalone driver and tests in the same JVM). */
    public RunStatus run(String runId) {
        return runs.get(runId).orElse(null);
    }

    /** Lets the runs streaming now finish, then closes the Kafka clients. */
    @Override
    public Future<?> stop() {
        Future<Void> streamed = runs == null ? Future.succeededFuture() : runs.streamsEnded();
        return streamed.eventually(() -> vertx.executeBlocking(() -> {
            if (producer != null) {
                producer.close();
            }
            if (topics != null) {
                topics.close();
            }
            return null;
        })).eventually(() -> runs == null ? Future.succeededFuture() : runs.close());
    }
}
