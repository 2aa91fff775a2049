package io.distillmesh.distiller;

import io.distillmesh.core.data.DataSets;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.kafka.TopicAdmin;
import io.distillmesh.messaging.vertx.BearerTokenAuth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The distiller service: REST to submit, watch and cancel dataset-distillation jobs; jobs run on a worker
 * pool of {@code jobs.concurrency} threads, report progress on dm.distill.progress and announce their
 * artifacts on dm.distilled. Config: http.*, kafka.*, auth.token (guards submitting and cancelling),
 * data.dir, models.dir (pretrained models), artifacts.dir (where artifacts go), topic.replication.factor,
 * jobs.concurrency, jobs.memory-budget-mb (the largest unrolled trajectory a job may need),
 * progress.interval-ms (the least time between two iteration progress records of a job).
 */
public final class DistillerVerticle extends VerticleBase {
    public static final JsonObject DEFAULTS = KafkaSettings.CONFIG_DEFAULTS.copy()
            .put("http.port", 8086)
            .put("http.host", "0.0.0.0")
            .put(BearerTokenAuth.CONFIG_KEY, "")
            .put("data.dir", "")
            .put("models.dir", "models")
            .put("artifacts.dir", "artifacts")
            .put("topic.replication.factor", 1)
            .put("jobs.concurrency", 1)
            .put("jobs.memory-budget-mb", 4096)
            .put("progress.interval-ms", 250);
    private final PrometheusMeterRegistry registry;
    private WorkerExecutor jobWorkers;
    private Producer<String, byte[]> producer;
    private DistillJobQueue queue;
    private HttpServer server;

    public DistillerVerticle(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Future<?> start() {
        JsonObject conf = DEFAULTS.copy().mergeIn(config());
        KafkaSettings kafka = KafkaSettings.fromConfig(conf);
        DistillerSettings settings;
        try {
            settings = DistillerSettings.fromConfig(conf);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        DistillJobValidator validator = new DistillJobValidator(settings.modelsDir(), settings.memoryBudgetBytes());
        Path artifactsDir = settings.artifactsDir();
        jobWorkers = vertx.createSharedWorkerExecutor("distiller-jobs", settings.concurrency(), 30, TimeUnit.DAYS);
        return vertx.executeBlocking(() -> {
            Files.createDirectories(artifactsDir);
            try (TopicAdmin topics = new TopicAdmin(kafka, conf.getInteger("topic.replication.factor"))) {
                DistillerTopics.ensure(topics);
            }
            producer = new KafkaProducer<>(kafka.producer("distiller"));
            return new DataSets(FashionMnist.dataDir(conf.getString("data.dir")));
        }).compose(dataSets -> {
            queue = new DistillJobQueue(jobWorkers, new JobRunContext(dataSets, artifactsDir, producer,
                    new DistillerMetrics(registry, () -> queue.all()), settings.progressIntervalMillis()));
            DistillerApi api = new DistillerApi(vertx, conf, validator, queue);
            return vertx.createHttpServer().requestHandler(api.router(registry, this::health))
                    .listen(conf.getInteger("http.port"), conf.getString("http.host"));
        }).onSuccess(s -> server = s);
    }

    private JsonObject health() {
        JsonObject jobs = new JsonObject();
        for (JobState state : JobState.values()) {
            jobs.put(state.name(), queue.all().stream().filter(j -> j.state() == state).count());
        }
        return new JsonObject().put("service", "distiller").put("jobs", jobs);
    }

    /** The port the REST API listens on (useful when configured as 0). */
    public int port() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        if (queue != null) {
            queue.cancelAll();
        }
        return vertx.executeBlocking(() -> {
            if (producer != null) {
                producer.close(java.time.Duration.ofSeconds(10));
            }
            return null;
        }).eventually(() -> jobWorkers.close());
    }
}
