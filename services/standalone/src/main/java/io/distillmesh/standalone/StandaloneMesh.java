package io.distillmesh.standalone;

import io.distillmesh.core.data.DataDirOption;
import io.distillmesh.core.train.TeacherTrainingJob;
import io.distillmesh.distiller.DistillerVerticle;
import io.distillmesh.distiller.cli.DistillJob;
import io.distillmesh.evaluator.EvaluatorVerticle;
import io.distillmesh.evaluator.subject.DistilledSetSubject;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.vertx.MeshVertx;
import io.distillmesh.student.StudentTrainingLoop;
import io.distillmesh.student.StudentVerticle;
import io.distillmesh.teacher.RunStatus;
import io.distillmesh.teacher.TeacherVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The whole mesh in one JVM: an embedded KRaft broker, the teacher service streaming soft targets for a
 * run where only some samples carry labels, and several student services learning from that one stream
 * at once (a hard-label baseline and distilled students at different temperatures); then the distiller
 * distils the training set into ten images, and the evaluator scores all of it: two tables and a dashboard.
 */
@Command(name = "distill-mesh", mixinStandardHelpOptions = true, subcommands = {TeacherTrainingJob.class, DistillJob.class},
        description = "Run the distill-mesh knowledge-distillation demo on an embedded Kafka broker.")
public final class StandaloneMesh implements Callable<Integer>, LoggedCommand {
    /** The demo serves its REST APIs on loopback only, without a bearer token. */
    private static final String LOOPBACK = "127.0.0.1";
    @Option(names = "--models-dir", defaultValue = "models")
    Path modelsDir;
    @Option(names = "--teacher", defaultValue = "teacher-cnn.zip", description = "teacher model file in the models dir")
    String teacherFile;
    @Mixin
    DataDirOption dataDir;
    @Option(names = "--samples", defaultValue = "60000", description = "training images the teacher streams")
    int samples;
    @Option(names = "--labelled", defaultValue = "5000", description = "how many of them keep their label")
    int labelled;
    @Option(names = "--teacher-temperature", defaultValue = "4")
    double teacherTemperature;
    @Option(names = "--epochs", defaultValue = "5", description = "passes each student makes over the stream")
    int epochs;
    @Option(names = "--hidden", defaultValue = "128", description = "hidden width of the MLP students")
    int hidden;
    @Option(names = "--temperatures", split = ",", defaultValue = "2,4", description = "T' of the distilled students")
    double[] temperatures;
    @Option(names = "--alpha", defaultValue = "0.9")
    double alpha;
    @Option(names = "--distill-iterations", defaultValue = "300",
            description = "meta-iterations of the dataset-distillation step (LeNet, fixed init, 10 images); 0 skips it")
    int distillIterations;
    @Option(names = "--distill-replicas", defaultValue = "10",
            description = "fresh networks the evaluator trains per distilled set and per baseline (K)")
    int distillReplicas;
    @Option(names = "--http-port", defaultValue = "8081",
            description = "teacher REST port; students use the next ones, the evaluator +4, the distiller +5")
    int httpPort;
    @Option(names = "--work-dir", description = "broker logs and checkpoints (default: a temporary directory); "
            + "run again with the same work dir and options to resume its run where it stopped")
    Path workDir;
    @Option(names = "--fresh", description = "with a --work-dir that holds a run: start a new run there instead of resuming it")
    boolean fresh;
    @Option(names = "--serve", description = "keep the mesh and the dashboard up after the table, until Ctrl-C")
    boolean serve;
    @Option(names = QuietConsole.VERBOSE, scope = ScopeType.INHERIT, description = "the libraries' logs on the console "
            + "(by default they go to a log file, named in the first line)")
    boolean verbose;
    @Spec
    CommandSpec command;
    private Path resolvedWorkDir;

    public static void main(String[] args) {
        System.exit(commandLine(Path.of("logs")).execute(args));
    }

    /** The command line {@code bin/distill-mesh} runs; subcommands without a work dir log to {@code logsDir}. */
    static CommandLine commandLine(Path logsDir) {
        return new CommandLine(new StandaloneMesh()).setExecutionStrategy(new QuietConsole(logsDir));
    }

    @Override
    public Path logFile() throws IOException {
        return workDirectory().resolve("distill-mesh.log");
    }

    private Path workDirectory() throws IOException {
        if (resolvedWorkDir == null) {
            resolvedWorkDir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("distill-mesh-");
        }
        return resolvedWorkDir;
    }

    @Override
    public Integer call() throws Exception {
        Path work = workDirectory();
        Path teacherPath = modelsDir.resolve(teacherFile);
        if (!Files.isRegularFile(teacherPath)) {
            out().println("No teacher at " + teacherPath + ": training one first (takes a while on a CPU).");
            int rc = new CommandLine(new TeacherTrainingJob()).setOut(out()).setErr(err())
                    .execute("--out", teacherPath.toString());
            if (rc != 0) {
                return rc;
            }
        }
        Optional<SavedRun> saved = fresh ? Optional.empty() : SavedRun.in(work);
        String runId;
        if (saved.isPresent()) {
            String differences = saved.get().differencesTo(runOptions());
            if (!differences.isEmpty()) {
                err().println(work + " holds run " + saved.get().runId() + ", started with other options ("
                        + differences + "). Run with its options to resume it, add --fresh to start a new run there, or "
                        + "choose another --work-dir.");
                return 2;
            }
            runId = saved.get().runId();
            out().println("Resuming run " + runId + " from " + work + " (--fresh starts a new one)");
        } else {
            runId = "demo-" + System.currentTimeMillis();
            new SavedRun(runId, runOptions()).saveIn(work);
        }
        out().println("Starting an embedded Kafka broker (KRaft) in " + work.resolve("kafka"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"))) {
            List<MeshVertx> services = new ArrayList<>();
            try {
                return runMesh(services, broker, work, teacherPath, runId);
            } finally {
                for (MeshVertx service : services) {
                    service.vertx().close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
                }
            }
        }
    }

    /** Every service gets its own Vert.x and metrics registry, as in its own container. */
    private int runMesh(List<MeshVertx> services, EmbeddedKafkaBroker broker, Path work, Path teacherPath, String runId)
            throws Exception {
        String dataDirSetting = dataDir.configured() == null ? "" : dataDir.configured();
        TeacherVerticle teacher = start(services, TeacherVerticle::new, broker, 0, new JsonObject()
                .put("models.dir", modelsDir.toString()).put("teacher.model", teacherFile).put("data.dir", dataDirSetting));
        out().printf("teacher  http://127.0.0.1:%d  (/runs, /health, /metrics)%n", teacher.port());

        JsonObject run = new JsonObject().put("runId", runId).put("temperature", teacherTemperature)
                .put("limit", samples).put("labelled", labelled).put("epochs", 1);
        WebClient client = WebClient.create(services.get(0).vertx());
        var response = client.post(teacher.port(), LOOPBACK, "/runs").sendJsonObject(run)
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        if (response.statusCode() != 202 && response.statusCode() != 200) {
            err().println("teacher refused the run: " + response.bodyAsString());
            return 1;
        }

        List<StudentRow> students = new ArrayList<>();
        students.add(new StudentRow("hard-labels", 1.0, 0.0));
        for (double t : temperatures) {
            students.add(new StudentRow("kd-T" + format(t), t, alpha));
        }
        EvaluatorVerticle evaluator = start(services, EvaluatorVerticle::new, broker, 4, new JsonObject()
                .put("models.dir", modelsDir.toString()).put("teacher.model", teacherFile).put("data.dir", dataDirSetting)
                .put("artifacts.dir", work.resolve("checkpoints").toString()).put("distilled.replicas", distillReplicas));
        out().printf("evaluator http://127.0.0.1:%d  (dashboard, /results, /health, /metrics)%n", evaluator.port());
        DistillerVerticle distiller = start(services, DistillerVerticle::new, broker, 5, new JsonObject()
                .put("models.dir", modelsDir.toString()).put("data.dir", dataDirSetting)
                .put("artifacts.dir", work.resolve("checkpoints").resolve("distilled").toString()));
        out().printf("distiller http://127.0.0.1:%d  (/jobs, /health, /metrics)%n", distiller.port());

        int offset = 1;
        for (StudentRow row : students) {
            row.verticle = start(services, StudentVerticle::new, broker, offset++, new JsonObject()
                    .put("checkpoint.dir", work.resolve("checkpoints").toString())
                    .put("student.id", row.name).put("student.run", runId).put("student.hidden", Integer.toString(hidden))
                    .put("student.temperature", row.temperature).put("student.alpha", row.alpha)
                    .put("student.epochs", epochs).put("student.batch-size", 64).put("student.seed", 17L)
                    .put("student.checkpoint-every", 300));
            out().printf("student  %-12s http://127.0.0.1:%d  (/status, /health, /metrics)%n", row.name,
                    row.verticle.port());
        }

        new MeshProgress(teacher.run(runId), students.stream().map(s -> s.verticle.loop()).toList(),
                Math.min(samples, 60_000), Math.min(labelled, samples), epochs).await();
        RunStatus status = teacher.run(runId);
        if (status.state() != RunStatus.State.DONE) {
            err().println("teacher run failed: " + status.toJson().encode());
            return 1;
        }
        for (StudentRow row : students) {
            if (row.verticle.loop().state() != StudentTrainingLoop.State.DONE) {
                err().println("student " + row.name + " failed: " + row.verticle.status().encode());
                return 1;
            }
        }
        Map<String, Long> trained = new LinkedHashMap<>();
        students.forEach(row -> trained.put(row.name, row.verticle.loop().samplesTrained()));
        String teacherSubject = "teacher:" + teacherFile;
        Map<String, JsonObject> results = new EvaluatorResults(client, LOOPBACK, evaluator.port())
                .awaitFinal(teacherSubject, trained, TimeUnit.MINUTES.toMillis(5));
        new ResultTable(teacherFile, results.get(teacherSubject), status, samples, labelled, epochs)
                .print(students.stream().map(s -> new ResultTable.Row(s.name, s.verticle.loop().spec(),
                        results.get(s.name), s.verticle.loop().samplesTrained())).toList(), out());
        if (distillIterations > 0) {
            out().printf("%nDistilling Fashion-MNIST into 10 images (a job on the distiller, %d meta-iterations):%n",
                    distillIterations);
            JsonObject job = new DistillationStep(client, LOOPBACK, distiller.port()).run(distillationSpec());
            if (!"SUCCEEDED".equals(job.getString("state"))) {
                err().println("distillation job failed: " + job.encode());
                return 1;
            }
            out().println("Evaluating the distilled set and its baselines (fresh networks trained on 10 images each)...");
            Map<String, JsonObject> rows = new EvaluatorResults(client, LOOPBACK, evaluator.port())
                    .awaitDistilled(DistilledSetSubject.PREFIX + job.getString("jobId"), 3, TimeUnit.MINUTES.toMillis(15));
            new DistilledSetTable(job, rows).print(out());
        }
        out().printf("%nDashboard: http://127.0.0.1:%d/%n", evaluator.port());
        if (serve) {
            out().println("Serving until Ctrl-C.");
            Thread.currentThread().join();
        }
        return 0;
    }

    private PrintWriter out() {
        return command.commandLine().getOut();
    }

    private PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** What shapes the run and its students: a saved run resumes only with the same. */
    private JsonObject runOptions() {
        return new JsonObject().put("teacher", teacherFile).put("samples", samples).put("labelled", labelled)
                .put("teacherTemperature", teacherTemperature).put("epochs", epochs).put("hidden", hidden)
                .put("temperatures", Arrays.toString(temperatures)).put("alpha", alpha);
    }

    /** The LeNet setting: 1 image per class, 1 step × 3 epochs, one fixed init, images started from real ones. */
    private JsonObject distillationSpec() {
        return new JsonObject().put("jobId", "demo-distill-" + System.currentTimeMillis()).put("network", "lenet")
                .put("imagesPerClass", 1).put("steps", 1).put("epochs", 3).put("init", "fixed").put("imageInit", "real")
                .put("iterations", distillIterations).put("realBatch", 256).put("initialStep", 0.1)
                .put("learningRate", 0.03).put("lrDecay", 0.5).put("lrDecayEvery", Math.max(1, distillIterations / 2))
                .put("seed", 42);
    }

    /**
     * Starts a service in a Vert.x and metrics registry of its own, as in its own container: on loopback at the
     * teacher's --http-port plus {@code portOffset} (any free port when that is 0), on the broker, with {@code config}.
     */
    private <V extends Deployable> V start(List<MeshVertx> services, Function<PrometheusMeterRegistry, V> service,
                                           EmbeddedKafkaBroker broker, int portOffset, JsonObject config)
            throws Exception {
        MeshVertx mesh = MeshVertx.create();
        services.add(mesh);
        V verticle = service.apply(mesh.registry());
        JsonObject conf = new JsonObject().put("http.port", httpPort == 0 ? 0 : httpPort + portOffset)
                .put("http.host", LOOPBACK).put("kafka.bootstrap.servers", broker.bootstrapServers()).mergeIn(config);
        mesh.vertx().deployVerticle(verticle, new DeploymentOptions().setConfig(conf))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        return verticle;
    }

    private static String format(double t) {
        return t == Math.rint(t) ? Long.toString((long) t) : Double.toString(t);
    }

    private static final class StudentRow {
        final String name;
        final double temperature;
        final double alpha;
        StudentVerticle verticle;

        StudentRow(String name, double temperature, double alpha) {
            this.name = name;
            this.temperature = temperature;
            this.alpha = alpha;
        }
    }
}
