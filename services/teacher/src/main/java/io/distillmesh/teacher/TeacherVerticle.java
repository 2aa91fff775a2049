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
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import java.time.Duration;
import java.util.Map;

/**
 * The teacher service: REST to start and watch runs ({@link TeacherApi}); runs are shared out as pieces on their
 * work topics ({@link TeacherRuns}) and streamed by this teacher's work loops ({@link WorkLoop}) together with those
 * of every other replica. Config: http.*, kafka.* (bootstrap servers, TLS/SASL), auth.token (guards POST /runs),
 * models.dir, teacher.model (the default model file in it), data.dir, topic.replication.factor, runs.concurrency
 * (runs taken here at once), runs.work.partitions (how many work loops can share one run), teacher.workers (work
 * loops in this process), teacher.instance (this replica's name: unique among the live replicas and kept across
 * restarts; the host name by default), teacher.transaction.timeout.ms (how long a crashed replica's open piece can
 * hold the students).
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
            .put(TeacherRuns.CONCURRENCY_KEY, 2)
            .put("runs.work.partitions", 8)
            .put("teacher.workers", 1)
            .put("teacher.instance", "")
            .put("teacher.transaction.timeout.ms", 15_000);
    private static final long PROGRESS_POLL_MS = 500;
    private final PrometheusMeterRegistry registry;
    private final WorkLoops workLoops = new WorkLoops();
    private Producer<String, byte[]> producer;
    private TopicAdmin topics;
    private RunCommits commits;
    private TeacherRuns runs;
    private HttpServer server;
    private long progressTimer = -1;

    public TeacherVerticle(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Takes up every run taken before this start, by this teacher or another, before the API answers, so that
     * asking for one of them again finds it.
     */
    @Override
    public Future<?> start() {
        JsonObject conf = DEFAULTS.copy().mergeIn(config());
        KafkaSettings kafka = KafkaSettings.fromConfig(conf);
        TeacherSettings settings = TeacherSettings.fromConfig(conf);
        TeacherModels models = new TeacherModels(settings.modelsDir());
        return vertx.executeBlocking(() -> {
            String instance = settings.replicaName();
            System.out.println("teacher: Kafka at " + kafka.bootstrapServers() + " (kafka.bootstrap.servers), instance "
                    + instance + " with " + settings.workers() + " work loop(s)");
            models.get(settings.defaultModel());
            DataSets dataSets = new DataSets(FashionMnist.dataDir(settings.dataDir()));
            producer = new KafkaProducer<>(kafka.producer("teacher"));
            topics = new TopicAdmin(kafka, settings.replicationFactor());
            topics.ensure(Topics.RUNS, 1, Map.of("cleanup.policy", "compact"));
            topics.ensure(Topics.DEAD_LETTERS, 1, TopicAdmin.DEAD_LETTER_CONFIG);
            RunRecords records = new RunRecords(kafka, producer, settings.defaultModel());
            PreparedRuns prepared = new PreparedRuns(
                    new RunSetup(models, dataSets, topics, registry, settings.partitions()), records);
            commits = new RunCommits(kafka, prepared::pieces);
            runs = new TeacherRuns(vertx, settings.concurrency(), prepared, records, new WorkPlanPublisher(kafka),
                    commits);
            workLoops.start(settings.workers(), i -> new WorkLoop(kafka, instance + "-" + i, prepared, commits,
                    registry, settings.transactionTimeoutMs()));
            return records.load();
        }).compose(specs -> runs.resumeAll(specs)).compose(v -> {
            progressTimer = vertx.setPeriodic(PROGRESS_POLL_MS, t -> runs.pollProgress());
            TeacherApi api = new TeacherApi(vertx, conf, runs, models, settings.defaultModel());
            return vertx.createHttpServer().requestHandler(api.router(registry))
                    .listen(conf.getInteger("http.port"), conf.getString("http.host"));
        }).onSuccess(s -> server = s);
    }

    /** The port the REST API listens on (useful when configured as 0). */
    public int port() {
        return server.actualPort();
    }

    /** Status of a run, or null (for the standalone driver and tests in the same JVM). */
    public RunStatus run(String runId) {
        return runs.get(runId).orElse(null);
    }

    /**
     * Stops the work loops after the piece each has in hand (what is left of a run stays on its work topic, for
     * the other replicas or the next start), then closes the Kafka clients.
     */
    @Override
    public Future<?> stop() {
        vertx.cancelTimer(progressTimer);
        workLoops.stop();
        return vertx.executeBlocking(() -> {
            workLoops.join(Duration.ofMinutes(2));
            if (producer != null) {
                producer.close();
            }
            if (topics != null) {
                topics.close();
            }
            if (commits != null) {
                commits.close();
            }
            return null;
        });
    }
}
