package io.distillmesh.bench;

import io.distillmesh.core.artifact.DistilledArtifact;
import io.distillmesh.core.artifact.Provenance;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.ClassificationObjective;
import io.distillmesh.core.distill.DatasetDistiller;
import io.distillmesh.core.distill.DistillationListener;
import io.distillmesh.core.distill.DistillationSchedule;
import io.distillmesh.core.distill.DistillationScheduleOptions;
import io.distillmesh.core.distill.DistilledData;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.DistillerConfig;
import io.distillmesh.core.distill.ImageInit;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.distill.InitSampler;
import io.distillmesh.core.distill.InitSpec;
import io.distillmesh.core.distill.RealBatches;
import io.distillmesh.core.engine.LearningRateSchedule;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.TeacherModel;
import io.distillmesh.core.train.TimingConditions;
import io.distillmesh.evaluator.checkpoint.ArtifactDirectory;
import io.distillmesh.evaluator.distilled.DistilledSetEvaluator;
import io.distillmesh.evaluator.metrics.TeacherReference;
import io.distillmesh.evaluator.metrics.TestSetEvaluator;
import io.distillmesh.evaluator.subject.DistilledSetSubject;
import io.distillmesh.messaging.records.EvaluationResultRecord;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Times the evaluator's judgement of one distilled set (issue 4: "a 10-image distilled set with K=10 finishes in
 * under a minute"): K replays of the set plus the three real-image baselines, each with its step-size grid on
 * held-out images, every network tested on the 10,000 test images. The set is distilled here first (1 image per
 * class, 1 step × 3 epochs: 10 images) unless --artifact names one; that part is not timed, nor is loading data.
 */
@Command(name = "distilled-evaluation", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time the evaluation of a distilled set (K replays and three baselines) as the evaluator runs it.")
public final class DistilledEvaluationBench implements Callable<Integer> {
    @Option(names = "--network", defaultValue = "lenet", description = "mlp (784-128-10) or lenet (default: ${DEFAULT-VALUE})")
    String network;
    @Option(names = "--replicas", defaultValue = "10", description = "K (default: ${DEFAULT-VALUE})")
    int replicas;
    @Mixin
    DistillationScheduleOptions scheduleOptions = new DistillationScheduleOptions(1, 1, 3);
    @Option(names = "--iterations", defaultValue = "30", description = "meta-iterations of the untimed distillation")
    int iterations;
    @Option(names = "--artifact", description = "evaluate this DMDS artifact instead of distilling one")
    Path artifact;
    @Option(names = "--cross-architecture", defaultValue = "", description = "also replay on mlp, mlp:<widths> or lenet")
    String crossArchitecture;
    @Option(names = "--repeat", defaultValue = "1", description = "timed evaluations (default: ${DEFAULT-VALUE})")
    int repeat;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DistilledEvaluationBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = FashionMnist.dataDir(null);
        LabelledImages test = FashionMnist.load(dataDir, FashionMnist.Split.TEST);
        Path work = Files.createTempDirectory("distilled-evaluation-bench-");
        Path file = artifact != null ? artifact.toAbsolutePath() : distil(dataDir, work.resolve("set.dmds"));
        DistilledSet set = DistilledArtifact.read(file).set();
        System.out.printf("set: %s, %s%n", set.schedule().describe(), set.init().describe());

        long t0 = System.nanoTime();
        TeacherReference teacher = TeacherReference.compute(TeacherModel.load(Path.of("models/teacher-cnn.zip")), test);
        TestSetEvaluator evaluator = new TestSetEvaluator(test, teacher);
        System.out.printf("teacher reference on the test set: %.1f s (not timed below)%n", (System.nanoTime() - t0) / 1e9);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DistilledSetEvaluator sets = DistilledSetEvaluator.fromConfig(new JsonObject().put("distilled.replicas", replicas)
                .put("distilled.cross-architecture", crossArchitecture), new ArtifactDirectory(file.getParent()), dataDir,
                registry);
        DistilledSetSubject subject = new DistilledSetSubject("bench", file.getFileName().toString(), "classification",
                null, replicas, null, sets);
        for (int r = 0; r < repeat; r++) {
            long start = System.nanoTime();
            List<EvaluationResultRecord> results = subject.evaluate(evaluator);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%nevaluation %d: %.1f s (K=%d%s)%n", r + 1, seconds, replicas,
                    r == 0 ? ", includes loading the 60,000 training images once" : "");
            for (EvaluationResultRecord result : results) {
                JsonObject made = result.settings().getJsonObject("result");
                System.out.printf(Locale.ROOT, "  %-34s %6.2f ± %5.2f %%  %s%n", result.pointId(), 100 * result.accuracy(),
                        100 * result.accuracyStd(), made.containsKey("stepSize") ? "η=" + made.getValue("stepSize")
                                : "learned η, " + made.getString("network"));
            }
        }
        System.out.println();
        for (Timer timer : registry.find("dm.evaluator.distilled.replay").timers()) {
            if (timer.count() > 0) {
                System.out.printf(Locale.ROOT, "  replays %-20s %4d networks, %6.1f s, %5.3f s each%n",
                        timer.getId().getTag("kind"), timer.count(), timer.totalTime(TimeUnit.SECONDS),
                        timer.mean(TimeUnit.SECONDS));
            }
        }
        System.out.println("backend: " + TimingConditions.describe());
        return 0;
    }

    private Path distil(Path dataDir, Path out) {
        LabelledImages train = FashionMnist.load(dataDir, FashionMnist.Split.TRAIN).head(50_000);
        ModelSpec spec = ModelSpec.named(network, 1, 128);
        InitSampler init = new InitSampler(InitSpec.random(spec, 1, 1), null);
        DistillationSchedule schedule = scheduleOptions.schedule(FashionMnist.NUM_CLASSES);
        DistilledData data = DistilledData.initialise(schedule, ImageShape.MNIST, ImageInit.REAL, train, 0, 0, 0.02, 1,
                DataType.FLOAT);
        long start = System.nanoTime();
        DistilledSet set = new DatasetDistiller(init, new ClassificationObjective(new RealBatches(train, 512, 1)),
                DistillerConfig.of(iterations, LearningRateSchedule.constant(0.01))).run(data, DistillationListener.NONE)
                .distilled();
        System.out.printf("distilled %d images in %d iterations: %.1f s (not timed below)%n",
                schedule.totalImages(), iterations, (System.nanoTime() - start) / 1e9);
        DistilledArtifact.write(set, Provenance.of("distilled-evaluation bench", "classification", "{\"iterations\":"
                + iterations + "}"), out);
        return out;
    }
}
