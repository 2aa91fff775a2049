package io.distillmesh.student;

import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.kafka.TopicAdmin;
import io.distillmesh.messaging.vertx.OperationsRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.records.CheckpointRecord;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The student service: one student per instance (scale by running more), trained on a worker thread
 * from its run's stream. REST: GET /status; GET /health answers 503 once the student has FAILED (the error says why).
 * Config keys are flat so that each has an environment variable.
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
    /**
     * Keys of residual (resnet/FSP) students, read from the config file only: they are not in {@link #DEFAULTS},
     * so they have no environment variables and plain students' manifests need not set them.
     */
    static final JsonObject RESIDUAL_DEFAULTS = new JsonObject()
            .put("student.blocks", "1,1,1")
            .put("student.widths", "16,32,64")
            .put("student.stem-stride", 1)
            .put("student.fsp-epochs", 0)
            .put("student.fsp-lambda", 1.0)
            .put("student.fsp-pairs", "stem:stage1,s2b0_conv1:stage2,s3b0_conv1:stage3")
            .put("student.fsp-permutation-seed", "");
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

    /**
     * The student spec a flat service config describes. A resnet student reads student.blocks, student.widths and
     * student.stem-stride; with student.fsp-epochs above 0 it first runs the FSP stage on student.fsp-pairs
     * ({@code first:second,...}) at student.fsp-lambda, channel-shuffled when student.fsp-permutation-seed is set.
     */
    public static StudentSpec specFrom(JsonObject conf) {
        if (conf.getString("student.architecture").equalsIgnoreCase("resnet")) {
            return residualSpecFrom(conf);
        }
        if (conf.getString("student.architecture").equalsIgnoreCase("specialist")) {
            return specialistSpecFrom(conf);
        }
        JsonArray hidden = ints(conf.getString("student.hidden"));
        return StudentSpec.fromJson(new JsonObject()
                .put("studentId", conf.getString("student.id")).put("runId", conf.getString("student.run"))
                .put("architecture", conf.getString("student.architecture")).put("hidden", hidden)
                .put("temperature", conf.getDouble("student.temperature")).put("alpha", conf.getDouble("student.alpha"))
                .put("epochs", conf.getInteger("student.epochs")).put("batchSize", conf.getInteger("student.batch-size"))
                .put("learningRate", conf.getDouble("student.learning-rate")).put("seed", conf.getLong("student.seed"))
                .put("checkpointEveryBatches", conf.getInteger("student.checkpoint-every")));
    }

    /**
     * A specialist reads student.specialist-classes (its group, e.g. {@code 0,2,4,6}) and student.generalist (the
     * generalist's model file, the teacher of the run it consumes), from the config file only.
     */
    private static StudentSpec specialistSpecFrom(JsonObject conf) {
        for (String key : new String[]{"student.specialist-classes", "student.generalist"}) {
            if (conf.getString(key, "").isBlank()) {
                throw new IllegalArgumentException("a specialist student needs " + key + " in its config file");
            }
        }
        return StudentSpec.fromJson(new JsonObject()
                .put("studentId", conf.getString("student.id")).put("runId", conf.getString("student.run"))
                .put("architecture", "specialist").put("classes", ints(conf.getString("student.specialist-classes")))
                .put("generalist", conf.getString("student.generalist"))
                .put("temperature", conf.getDouble("student.temperature")).put("alpha", conf.getDouble("student.alpha"))
                .put("epochs", conf.getInteger("student.epochs")).put("batchSize", conf.getInteger("student.batch-size"))
                .put("learningRate", conf.getDouble("student.learning-rate")).put("seed", conf.getLong("student.seed"))
                .put("checkpointEveryBatches", conf.getInteger("student.checkpoint-every")));
    }

    private static StudentSpec residualSpecFrom(JsonObject config) {
        JsonObject conf = RESIDUAL_DEFAULTS.copy().mergeIn(config);
        JsonObject json = new JsonObject()
                .put("studentId", conf.getString("student.id")).put("runId", conf.getString("student.run"))
                .put("architecture", "resnet").put("blocks", ints(conf.getString("student.blocks")))
                .put("widths", ints(conf.getString("student.widths")))
                .put("stemStride", conf.getInteger("student.stem-stride"))
                .put("temperature", conf.getDouble("student.temperature")).put("alpha", conf.getDouble("student.alpha"))
                .put("epochs", conf.getInteger("student.epochs")).put("batchSize", conf.getInteger("student.batch-size"))
                .put("learningRate", conf.getDouble("student.learning-rate")).put("seed", conf.getLong("student.seed"))
                .put("checkpointEveryBatches", conf.getInteger("student.checkpoint-every"));
        int fspEpochs = conf.getInteger("student.fsp-epochs");
        if (fspEpochs > 0) {
            JsonArray pairs = new JsonArray();
            for (String pair : conf.getString("student.fsp-pairs").split(",")) {
                String[] ends = pair.trim().split(":");
                if (ends.length != 2) {
                    throw new IllegalArgumentException("student.fsp-pairs must be first:second,... got '" + pair + "'");
                }
                pairs.add(new JsonArray().add(ends[0].trim()).add(ends[1].trim()));
            }
            JsonObject fsp = new JsonObject().put("epochs", fspEpochs).put("lambda", conf.getDouble("student.fsp-lambda"))
                    .put("pairs", pairs);
            String seed = String.valueOf(conf.getValue("student.fsp-permutation-seed", "")).trim();
            if (!seed.isEmpty()) {
                fsp.put("permutationSeed", Long.parseLong(seed));
            }
            json.put("fsp", fsp);
        }
        return StudentSpec.fromJson(json);
    }

    private static JsonArray ints(String csv) {
        return new JsonArray(Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Integer::parseInt).toList());
    }

    @Override
    public Future<?> start() {
        JsonObject conf = DEFAULTS.copy().mergeIn(config());
        StudentSpec spec = specFrom(conf);
        KafkaSettings kafka = KafkaSettings.fromConfig(conf);
        producer = new KafkaProducer<>(kafka.producer("student-" + spec.studentId()));
        CheckpointStore store = new CheckpointStore(Path.of(conf.getString("checkpoint.dir")).resolve(spec.studentId()));
        loop = new StudentTrainingLoop(spec, kafka, store,
                new DeadLetterPublisher(producer, registry, "student"), registry, listener);
        loop.onCheckpoint((model, checkpoint) -> producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, spec.studentId(),
                new CheckpointRecord(spec.studentId(), spec.runId(), model.toAbsolutePath().toString(), checkpoint.pass(),
                        spec.epochs(), checkpoint.offset(), checkpoint.samplesTrained(), loop.lastLoss(), spec.toJson())
                        .encode()), (sent, e) -> {
                            if (e != null) {
                                loop.fail(new IllegalStateException("cannot announce checkpoint " + model + " on "
                                        + Topics.CHECKPOINTS + ": " + e.getMessage(), e));
                            }
                        }));
        worker = vertx.createSharedWorkerExecutor("student-" + spec.studentId(), 1, 30, TimeUnit.DAYS);
        Router router = Router.router(vertx);
        router.get("/status").handler(ctx -> OperationsRoutes.json(ctx, 200, status()));
        OperationsRoutes.mount(router, registry, this::health, () -> loop.state() != StudentTrainingLoop.State.FAILED);
        return vertx.createHttpServer().requestHandler(router).listen(conf.getInteger("http.port"), conf.getString("http.host"))
                .onSuccess(s -> {
                    server = s;
                    train(kafka, conf.getInteger("topic.replication.factor"));
                })
                .onFailure(loop::fail);
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

    private JsonObject health() {
        JsonObject json = new JsonObject().put("service", "student").put("student", loop.spec().studentId())
                .put("state", loop.state().name());
        return loop.error() == null ? json : json.put("error", loop.error());
    }

    public JsonObject status() {
        JsonObject json = new JsonObject().put("spec", loop.spec().toJson()).put("state", loop.state().name())
                .put("pass", loop.pass()).put("samplesTrained", loop.samplesTrained()).put("loss", Double.isNaN(loop.lastLoss()) ? null : loop.lastLoss());
        json.put("training", loop.trainingPath());
        return loop.error() == null ? json : json.put("error", loop.error());
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
