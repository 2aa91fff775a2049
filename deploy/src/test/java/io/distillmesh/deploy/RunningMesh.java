package io.distillmesh.deploy;

import io.distillmesh.distiller.DistillerVerticle;
import io.distillmesh.evaluator.EvaluatorVerticle;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.vertx.MeshVertx;
import io.distillmesh.student.StudentTrainingLoop;
import io.distillmesh.student.StudentVerticle;
import io.distillmesh.teacher.RunStatus;
import io.distillmesh.teacher.TeacherVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The mesh's real pieces on loopback, each service in its own Vert.x with its own registry (as in
 * separate pods): an embedded Kafka broker, the teacher streaming a small run, the evaluator scoring the
 * teacher and the student's checkpoints, the distiller (idle: no job is posted), and one student that
 * trains on the run until done.
 */
final class RunningMesh implements AutoCloseable {
    static final String RUN = "metrics-run";
    static final String STUDENT = "metrics-student";
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(2);

    private final EmbeddedKafkaBroker broker;
    private final MeshVertx teacherMesh = MeshVertx.create();
    private final MeshVertx evaluatorMesh = MeshVertx.create();
    private final MeshVertx distillerMesh = MeshVertx.create();
    private final MeshVertx studentMesh = MeshVertx.create();
    private final Vertx clientVertx = Vertx.vertx();
    private final WebClient client = WebClient.create(clientVertx);
    private TeacherVerticle teacher;
    private EvaluatorVerticle evaluator;
    private DistillerVerticle distiller;
    private StudentVerticle student;

    private RunningMesh(EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    /**
     * Starts everything and returns once the student has trained through the whole run and the evaluator has
     * published a result for it.
     */
    static RunningMesh startAndTrain(Path work, int samples, Duration timeout) throws Exception {
        RunningMesh mesh = new RunningMesh(EmbeddedKafkaBroker.start(work.resolve("kafka")));
        try {
            mesh.start(work, samples);
            long deadline = System.nanoTime() + timeout.toNanos();
            mesh.awaitTrained(deadline, timeout);
            mesh.awaitEvaluated(deadline, timeout);
            return mesh;
        } catch (Exception | Error e) {
            try {
                mesh.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private void start(Path work, int samples) throws Exception {
        teacher = new TeacherVerticle(teacherMesh.registry());
        deploy(teacherMesh, teacher, new JsonObject().put("http.port", 0).put("http.host", LOOPBACK)
                .put("kafka.bootstrap.servers", broker.bootstrapServers())
                .put("models.dir", RepoFiles.path(RepoFiles.MODELS).toString()));
        HttpResponse<Buffer> created = client.post(teacher.port(), LOOPBACK, "/runs")
                .sendJsonObject(new JsonObject().put("runId", RUN).put("limit", samples)
                        .put("labelled", samples / 2).put("temperature", 4.0))
                .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
        if (created.statusCode() != 202) {
            throw new IllegalStateException("teacher refused the run: " + created.bodyAsString());
        }
        evaluator = new EvaluatorVerticle(evaluatorMesh.registry());
        deploy(evaluatorMesh, evaluator, new JsonObject().put("http.port", 0).put("http.host", LOOPBACK)
                .put("kafka.bootstrap.servers", broker.bootstrapServers())
                .put("models.dir", RepoFiles.path(RepoFiles.MODELS).toString())
                .put("artifacts.dir", work.resolve("checkpoints").toString()));
        distiller = new DistillerVerticle(distillerMesh.registry());
        deploy(distillerMesh, distiller, new JsonObject().put("http.port", 0).put("http.host", LOOPBACK)
                .put("kafka.bootstrap.servers", broker.bootstrapServers())
                .put("models.dir", RepoFiles.path(RepoFiles.MODELS).toString())
                .put("artifacts.dir", work.resolve("checkpoints").resolve("distilled").toString()));
        student = new StudentVerticle(studentMesh.registry());
        deploy(studentMesh, student, new JsonObject().put("http.port", 0).put("http.host", LOOPBACK)
                .put("kafka.bootstrap.servers", broker.bootstrapServers())
                .put("checkpoint.dir", work.resolve("checkpoints").toString())
                .put("student.id", STUDENT).put("student.run", RUN).put("student.hidden", "16")
                .put("student.batch-size", 50).put("student.epochs", 1));
    }

    private void awaitTrained(long deadline, Duration timeout) throws InterruptedException {
        while (busy() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        RunStatus run = teacher.run(RUN);
        if (run == null || run.state() != RunStatus.State.DONE) {
            throw new IllegalStateException("teacher run did not finish in " + timeout + ": "
                    + (run == null ? "no run" : run.toJson().encode()));
        }
        if (student.loop().state() != StudentTrainingLoop.State.DONE) {
            throw new IllegalStateException("student did not finish in " + timeout + ": " + student.status().encode());
        }
    }

    private void awaitEvaluated(long deadline, Duration timeout) throws Exception {
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = client.get(evaluator.port(), LOOPBACK, "/results/" + STUDENT).send()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).statusCode();
            if (status == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the evaluator has no result for " + STUDENT + " after " + timeout
                + " (GET /results/" + STUDENT + ": " + status + ")");
    }

    private boolean busy() {
        RunStatus run = teacher.run(RUN);
        StudentTrainingLoop.State state = student.loop().state();
        return run == null || run.state() == RunStatus.State.RUNNING
                || state == StudentTrainingLoop.State.STARTING || state == StudentTrainingLoop.State.TRAINING;
    }

    int teacherPort() {
        return teacher.port();
    }

    int studentPort() {
        return student.port();
    }

    int evaluatorPort() {
        return evaluator.port();
    }

    int distillerPort() {
        return distiller.port();
    }

    /** Samples the student has trained on, as it counts them itself. */
    long studentSamplesTrained() {
        return student.loop().samplesTrained();
    }

    /** The Prometheus text a service serves on /metrics. */
    String scrape(int port) throws Exception {
        HttpResponse<Buffer> response = client.get(port, LOOPBACK, "/metrics").send()
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics on " + port + ": " + response.statusCode());
        }
        return response.bodyAsString();
    }

    private static void deploy(MeshVertx mesh, Deployable verticle, JsonObject config) throws Exception {
        mesh.vertx().deployVerticle(verticle, new DeploymentOptions().setConfig(config))
                .toCompletionStage().toCompletableFuture().get(DEPLOY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            for (Vertx vertx : new Vertx[] {studentMesh.vertx(), distillerMesh.vertx(), evaluatorMesh.vertx(),
                    teacherMesh.vertx(), clientVertx}) {
                vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
            }
        } finally {
            broker.close();
        }
    }
}
