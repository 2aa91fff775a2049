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

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private final List<WorkLoop> loops = new ArrayList<>();
    private final List<Thread> loopThreads = new ArrayList<>();
    private Producer<String, byte[]> producer;
    private TopicAdmin topics;
    private RunCommits commits;
    private TeacherRuns runs;
    private RunRecords records;
    private HttpServer server;
    private long progressTimer = -1;
    private final AtomicBoolean refreshing = new AtomicBoolean();

    public TeacherVerticle(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Future<?> start() {
        JsonObject conf = DEFAULTS.copy().mergeIn(config());
        KafkaSettings kafka = KafkaSettings.fromConfig(conf);
        int concurrency = TeacherRuns.concurrency(conf);
        int partitions = atLeastOne(conf, "runs.work.partitions");
        int workers = atLeastOne(conf, "teacher.workers");
        String instance = instance(conf.getString("teacher.instance"));
        System.out.println("teacher: Kafka at " + kafka.bootstrapServers() + " (kafka.bootstrap.servers), instance "
                + instance + " with " + workers + " work loop(s)");
        TeacherModels models = new TeacherModels(Path.of(conf.getString("models.dir")));
        String defaultModel = conf.getString("teacher.model");
        return vertx.executeBlocking(() -> {
            models.get(defaultModel);
            DataSets dataSets = new DataSets(FashionMnist.dataDir(conf.getString("data.dir")));
            producer = new KafkaProducer<>(kafka.producer("teacher"));
            topics = new TopicAdmin(kafka, conf.getInteger("topic.replication.factor"));
            topics.ensure(Topics.RUNS, 1, Map.of("cleanup.policy", "compact"));
            topics.ensure(Topics.DEAD_LETTERS, 1, TopicAdmin.DEAD_LETTER_CONFIG);
            return new RunSetup(models, dataSets, topics, registry, partitions);
        }).compose(setup -> {
            records = new RunRecords(kafka, producer, defaultModel);
            PreparedRuns prepared = new PreparedRuns(setup, records);
            commits = new RunCommits(kafka, prepared::pieces);
            runs = new TeacherRuns(vertx, concurrency, prepared, records, new WorkPlanPublisher(kafka), commits);
            for (int i = 0; i < workers; i++) {
                WorkLoop loop = new WorkLoop(kafka, instance + "-" + i, prepared, commits, registry,
                        conf.getInteger("teacher.transaction.timeout.ms"));
                Thread thread = new Thread(loop, "teacher-work-" + i);
                thread.setDaemon(true);
                loops.add(loop);
                loopThreads.add(thread);
                thread.start();
            }
            return resumeRuns();
        }).compose(v -> {
            progressTimer = vertx.setPeriodic(PROGRESS_POLL_MS, t -> refreshProgress());
            TeacherApi api = new TeacherApi(vertx, conf, runs, defaultModel);
            return vertx.createHttpServer().requestHandler(api.router(registry, () -> new JsonObject()
                            .put("service", "teacher").put("models", new JsonArray(models.loadedNames()))
                            .put("runs", runs.all().size())))
                    .listen(conf.getInteger("http.port"), conf.getString("http.host"));
        }).onSuccess(s -> server = s);
    }

    private static int atLeastOne(JsonObject conf, String key) {
        int value = conf.getInteger(key);
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got " + value);
        }
        return value;
    }

    private static String instance(String configured) {
        if (!configured.isBlank()) {
            return configured;
        }
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("teacher.instance is not set and the host has no name", e);
        }
    }

    /**
     * Takes up every run taken before this start, by this teacher or another, before the API answers, so that
     * asking for one of them again finds it. Their work needs nothing from here: the work loops go on with it.
     */
    private Future<Void> resumeRuns() {
        return vertx.executeBlocking(records::load, false).compose(specs -> {
            Future<Void> chain = Future.succeededFuture();
            for (RunSpec spec : specs) {
                chain = chain.compose(v -> runs.resume(spec)
                        .onSuccess(s -> System.out.println("teacher: run " + spec.runId() + " taken up again"))
                        .<Void>mapEmpty()
                        .recover(e -> {
                            System.err.println("teacher: run " + spec.runId() + " not taken up again: "
                                    + e.getMessage());
                            return Future.succeededFuture();
                        }));
            }
            return chain;
        });
    }

    private void refreshProgress() {
        if (refreshing.compareAndSet(false, true)) {
            vertx.executeBlocking(() -> {
                runs.refreshProgress();
                return null;
            }, false).onComplete(r -> refreshing.set(false));
        }
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
        loops.forEach(WorkLoop::stop);
        return vertx.executeBlocking(() -> {
            for (Thread thread : loopThreads) {
                thread.join(TimeUnit.MINUTES.toMillis(2));
            }
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
