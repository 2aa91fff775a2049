package io.distillmesh.evaluator;

import io.distillmesh.core.data.DataSets;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.TeacherModel;
import io.distillmesh.evaluator.checkpoint.ArtifactDirectory;
import io.distillmesh.evaluator.checkpoint.CheckpointEvaluationLoop;
import io.distillmesh.evaluator.distilled.DistilledEvaluationSettings;
import io.distillmesh.evaluator.distilled.DistilledSetEvaluator;
import io.distillmesh.evaluator.metrics.TeacherReference;
import io.distillmesh.evaluator.metrics.TestSetEvaluator;
import io.distillmesh.evaluator.subject.TeacherSubject;
import io.distillmesh.evaluator.web.DistillationJobs;
import io.distillmesh.evaluator.web.DistillationTopicsView;
import io.distillmesh.evaluator.web.EvaluatorApi;
import io.distillmesh.evaluator.web.ReferenceImageGrid;
import io.distillmesh.evaluator.web.ResultsBoard;
import io.distillmesh.evaluator.web.ResultsTopicView;
import io.distillmesh.evaluator.web.ServerSentEvents;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.kafka.TopicAdmin;
import io.distillmesh.messaging.vertx.BearerTokenAuth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The evaluator service: rebuilds its board from dm.eval.results, evaluates the teacher once, every student
 * checkpoint announced on dm.checkpoints (newest per student) and every distilled set announced on dm.distilled
 * on a worker, publishes the results, follows the distillation jobs' progress, and serves it all over REST, a
 * live event stream and the dashboard. Config: http.port, http.host, kafka.*, auth.token (guards POST
 * /evaluations), models.dir + teacher.model, data.dir, artifacts.dir, topic.replication.factor, and distilled.*
 * ({@link DistilledEvaluationSettings}).
 */
public final class EvaluatorVerticle extends VerticleBase {
    public static final JsonObject DEFAULTS = KafkaSettings.CONFIG_DEFAULTS.copy()
            .put("http.port", 8085)
            .put("http.host", "0.0.0.0")
            .put(BearerTokenAuth.CONFIG_KEY, "")
            .put("models.dir", "models")
            .put("teacher.model", "teacher-cnn.zip")
            .put("data.dir", "")
            .put(ArtifactDirectory.CONFIG_KEY, "checkpoints")
            .put("topic.replication.factor", 1)
            .mergeIn(DistilledEvaluationSettings.DEFAULTS);
    private static final int REFERENCE_IMAGES_PER_CLASS = 8;
    private final PrometheusMeterRegistry registry;
    private final ServerSentEvents events = new ServerSentEvents();
    private final List<Future<?>> running = new ArrayList<>();
    private WorkerExecutor workers;
    private Producer<String, byte[]> producer;
    private ResultsBoard board;
    private ResultsTopicView view;
    private DistillationTopicsView distillations;
    private CheckpointEvaluationLoop loop;
    private TeacherSubject teacher;
    private DistillationJobs jobs;
    private DistilledSetEvaluator distilledSets;
    private JsonObject referenceImages;
    private HttpServer server;
    private long keepAlive = -1;

    public EvaluatorVerticle(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Future<?> start() {
        JsonObject conf = DEFAULTS.copy().mergeIn(config());
        KafkaSettings kafka = KafkaSettings.fromConfig(conf);
        ArtifactDirectory artifacts = new ArtifactDirectory(Path.of(conf.getString(ArtifactDirectory.CONFIG_KEY)));
        Context context = vertx.getOrCreateContext();
        DistilledEvaluationSettings distilledSettings = DistilledEvaluationSettings.fromConfig(conf);
        // the results view, the distillation view and the evaluation loop each hold a thread for good; one is left
        workers = vertx.createSharedWorkerExecutor("evaluator", 4, 30, TimeUnit.DAYS);
        return workers.executeBlocking(() -> {
            try (TopicAdmin topics = new TopicAdmin(kafka, conf.getInteger("topic.replication.factor"))) {
                EvaluationTopics.ensure(topics);
            }
            LabelledImages test = new DataSets(FashionMnist.dataDir(conf.getString("data.dir")))
                    .get("fashion-mnist", FashionMnist.Split.TEST);
            Path teacherFile = Path.of(conf.getString("models.dir")).resolve(conf.getString("teacher.model"));
            TeacherReference reference = TeacherReference.compute(TeacherModel.load(teacherFile), test);
            teacher = new TeacherSubject(reference, teacherFile.toAbsolutePath().normalize().toString());
            referenceImages = ReferenceImageGrid.of(test, FashionMnist.CLASS_NAMES, REFERENCE_IMAGES_PER_CLASS);
            producer = new KafkaProducer<>(kafka.producer("evaluator"));
            DeadLetterPublisher deadLetters = new DeadLetterPublisher(producer, registry, "evaluator");
            board = new ResultsBoard(registry);
            view = new ResultsTopicView(kafka, board, deadLetters,
                    subject -> context.runOnContext(v -> events.broadcast("result", subject.encode())));
            distilledSets = new DistilledSetEvaluator(distilledSettings, artifacts,
                    FashionMnist.dataDir(conf.getString("data.dir")), registry);
            jobs = new DistillationJobs(registry);
            distillations = new DistillationTopicsView(kafka, jobs, deadLetters,
                    event -> context.runOnContext(v -> events.broadcast("distillation", event.encode())));
            loop = new CheckpointEvaluationLoop(kafka, artifacts, new TestSetEvaluator(test, reference), board,
                    producer, deadLetters, distilledSets, registry);
            return null;
        }).compose(v -> {
            running.add(workers.executeBlocking(() -> run(view), false));
            return Future.fromCompletionStage(view.caughtUp(), context);
        }).compose(v -> {
            if (board.result(teacher.subjectId(), teacher.pointId()).isEmpty()) {
                loop.request(teacher);
            }
            running.add(workers.executeBlocking(() -> run(loop), false));
            running.add(workers.executeBlocking(() -> run(distillations), false));
            keepAlive = vertx.setPeriodic(15_000, id -> events.keepAlive());
            return vertx.createHttpServer()
                    .requestHandler(new EvaluatorApi(vertx, conf, board, loop, artifacts, events, referenceImages, jobs,
                            distilledSets)
                            .router(registry, () -> health(artifacts)))
                    .listen(conf.getInteger("http.port"), conf.getString("http.host"));
        }).onSuccess(s -> server = s).recover(e -> stop().transform(ignored -> Future.failedFuture(e)));
    }

    private JsonObject health(ArtifactDirectory artifacts) {
        return new JsonObject().put("service", "evaluator").put("teacher", teacher.subjectId())
                .put("subjects", board.size()).put("evaluating", loop.running()).put("queued", loop.queued())
                .put("distillationJobs", jobs.size())
                .put("artifactsDir", artifacts.root().toString()).put("dashboardClients", events.clients())
                .put("lastFailure", loop.lastFailure());
    }

    /** Runs a long-lived loop to its end; started unordered, so it never holds up the context's other blocking tasks. */
    private static Void run(Runnable task) {
        task.run();
        return null;
    }

    /** The port the REST API and dashboard listen on (useful when configured as 0). */
    public int port() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(keepAlive);
        events.closeAll();
        if (loop != null) {
            loop.stop();
        }
        if (view != null) {
            view.stop();
        }
        if (distillations != null) {
            distillations.stop();
        }
        return Future.join(running).eventually(() -> vertx.executeBlocking(() -> {
            if (producer != null) {
                producer.close();
            }
            return null;
        })).eventually(() -> workers.close());
    }
}
