package io.distillmesh.student;

import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.kafka.TopicAdmin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import java.util.concurrent.TimeUnit;

/**
 * The student service: one student per instance (scale by running more), trained on a worker thread from its run's
 * stream ({@link StudentTrainingLoop}), each checkpoint announced on dm.checkpoints ({@link CheckpointAnnouncer}).
 * REST ({@link StudentApi}): GET /status; GET /health answers 503 once the student has FAILED (the error says why).
 * Config ({@link StudentSettings}): http.*, kafka.*, checkpoint.dir, topic.replication.factor and the student.* keys
 * of its spec; they are flat so that each has an environment variable.
 */
public final class StudentVerticle extends VerticleBase {
    public static final JsonObject DEFAULTS = KafkaSettings.CONFIG_DEFAULTS.copy()
            .put("http.port", 8082)
            .put("http.host", "0.0.0.0")
            .put("checkpoint.dir", "checkpoints")
            .put("topic.replication.factor", 1)
            .put("student.id", "student-1")
            .put("student.run", "run-1")
            .put("student.architecture", "mlp")
            .put("student.hidden", "64")
            .put("student.temperature", 4.0)
            .put("student.alpha", 0.9)
            .put("student.epochs", 1)
            .put("student.batch-size", 64)
            .put("student.learning-rate", 0.001)
            .put("student.seed", 1L)
            .put("student.checkpoint-every", 200);
    private final PrometheusMeterRegistry registry;
    private final StudentTrainingLoop.TrainedBatchListener listener;
    private StudentTrainingLoop loop;
    private Producer<String, byte[]> producer;
    private WorkerExecutor worker;
    private HttpServer server;

    public StudentVerticle(PrometheusMeterRegistry registry) {
        this(registry, StudentTrainingLoop.TrainedBatchListener.NONE);
    }

    public StudentVerticle(PrometheusMeterRegistry registry, StudentTrainingLoop.TrainedBatchListener listener) {
        this.registry = registry;
        this.listener = listener;
    }

    @Override
    public Future<?> start() {
        JsonObject conf = DEFAULTS.copy().mergeIn(config());
        StudentSettings settings = StudentSettings.fromConfig(conf);
        StudentSpec spec = settings.spec();
        KafkaSettings kafka = KafkaSettings.fromConfig(conf);
        String name = "student-" + spec.studentId();
        worker = vertx.createSharedWorkerExecutor(name, 1, 30, TimeUnit.DAYS);
        return vertx.executeBlocking(() -> new KafkaProducer<String, byte[]>(kafka.producer(name)))
                .compose(created -> {
                    producer = created;
                    loop = new StudentTrainingLoop(spec, kafka, new CheckpointStore(settings.checkpointDir()),
                            new DeadLetterPublisher(producer, registry, "student"), registry, listener);
                    loop.onCheckpoint(new CheckpointAnnouncer(producer, loop));
                    return vertx.createHttpServer().requestHandler(new StudentApi(vertx, loop).router(registry))
                            .listen(conf.getInteger("http.port"), conf.getString("http.host"))
                            .onFailure(loop::fail);
                })
                .onSuccess(s -> {
                    server = s;
                    train(kafka, settings.replicationFactor());
                });
    }

    /** Creates the shared topics and trains, on the worker; a failure of either leaves the student FAILED. */
    private void train(KafkaSettings kafka, int replicationFactor) {
        worker.executeBlocking(() -> {
            try (TopicAdmin topics = new TopicAdmin(kafka, replicationFactor)) {
                topics.ensureSharedTopics();
            }
            loop.run();
            return null;
        }).onFailure(loop::fail);
    }

    /** The student's status as GET /status answers it (for the standalone driver and tests in the same JVM). */
    public JsonObject status() {
        return StudentApi.status(loop);
    }

    public StudentTrainingLoop loop() {
        return loop;
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        loop.stop();
        return vertx.executeBlocking(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (loop.state() == StudentTrainingLoop.State.TRAINING && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            producer.close();
            return null;
        }).onFailure(loop::fail).eventually(() -> worker.close());
    }
}
