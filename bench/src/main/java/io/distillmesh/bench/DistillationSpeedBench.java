package io.distillmesh.bench;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.ClassificationObjective;
import io.distillmesh.core.distill.DatasetDistiller;
import io.distillmesh.core.distill.DistillationResult;
import io.distillmesh.core.distill.DistillationSchedule;
import io.distillmesh.core.distill.DistillationScheduleOptions;
import io.distillmesh.core.distill.DistilledData;
import io.distillmesh.core.distill.DistillerConfig;
import io.distillmesh.core.distill.ImageInit;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.distill.InitSampler;
import io.distillmesh.core.distill.InitSpec;
import io.distillmesh.core.distill.RealBatches;
import io.distillmesh.core.engine.Backprop;
import io.distillmesh.core.engine.HvpSettings;
import io.distillmesh.core.engine.LearningRateSchedule;
import io.distillmesh.core.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Seconds per meta-iteration of dataset distillation (LeNet, fixed init, 1 image per class, S=1 × E=3,
 * real batch 1024 by default) for each backprop and ND4J thread count, measured in one process and
 * alternating between the variants round by round so that a noisy machine treats them alike. Prints
 * medians, the split inner loop / meta-loss gradient / backward, and the process's peak RSS (VmHWM).
 */
@Command(name = "distillation-speed", mixinStandardHelpOptions = true)
public final class DistillationSpeedBench implements Callable<Integer> {
    @Option(names = "--network", defaultValue = "lenet", description = "lenet or mlp")
    String network;
    @Option(names = "--backprops", split = ",", defaultValue = "hand-written,dl4j")
    List<String> backprops;
    @Option(names = "--threads", split = ",", defaultValue = "2", description = "ND4J/BLAS thread counts to compare")
    List<Integer> threads;
    @Option(names = "--hvp", split = ",", defaultValue = "exact", description = "how the Hessian-vector products are "
            + "taken, to compare: exact, finite-difference (the DL4J backprop has finite differences only)")
    List<String> hvps;
    @Mixin
    DistillationScheduleOptions scheduleOptions = new DistillationScheduleOptions(1, 1, 3);
    @Option(names = "--real-batch", defaultValue = "1024")
    int realBatch;
    @Option(names = "--rounds", defaultValue = "5")
    int rounds;
    @Option(names = "--iterations", defaultValue = "10", description = "meta-iterations per variant and round")
    int iterations;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DistillationSpeedBench()).execute(args));
    }

    private record Variant(Backprop backprop, int threads, HvpSettings.Method hvp) {
        String label() {
            return backprop.name().toLowerCase().replace('_', '-') + ", " + threads + " thread" + (threads > 1 ? "s" : "")
                    + (hvp == HvpSettings.Method.EXACT ? "" : ", finite-difference HVP");
        }
    }

    private static final class Timings {
        final List<Double> perIteration = new ArrayList<>();
        final List<double[]> split = new ArrayList<>();
    }

    @Override
    public Integer call() throws Exception {
        LabelledImages train = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN);
        ModelSpec spec = ModelSpec.named(network, 42, 128);
        InitSampler init = new InitSampler(InitSpec.fixed(spec, 42), null);
        DistillationSchedule schedule = scheduleOptions.schedule(FashionMnist.NUM_CLASSES);
        Map<Variant, Timings> timings = new LinkedHashMap<>();
        for (int t : threads) {
            for (String b : backprops) {
                for (String h : hvps) {
                    HvpSettings.Method method = Backprop.parse(b) == Backprop.DL4J ? HvpSettings.Method.FINITE_DIFFERENCE
                            : HvpSettings.Method.parse(h);
                    timings.put(new Variant(Backprop.parse(b), t, method), new Timings());
                }
            }
        }
        System.out.printf("%s, %s, real batch %d, %d rounds × %d meta-iterations per variant (round 0 is warm-up)%n",
                spec.describe(), schedule.describe(), realBatch, rounds + 1, iterations);
        for (int round = 0; round <= rounds; round++) {
            for (Map.Entry<Variant, Timings> e : timings.entrySet()) {
                Variant v = e.getKey();
                setThreads(v.threads());
                DistilledData data = DistilledData.initialise(schedule, ImageShape.MNIST, ImageInit.NOISE, null,
                        0.29, 0.35, 0.02, 42, DataType.FLOAT);
                DatasetDistiller distiller = new DatasetDistiller(init,
                        new ClassificationObjective(new RealBatches(train, realBatch, 42 + round)),
                        config(v.hvp()), v.backprop());
                List<Double> seconds = new ArrayList<>();
                DistillationResult r = distiller.run(data, p -> seconds.add(p.seconds()));
                if (round > 0) {
                    e.getValue().perIteration.addAll(seconds);
                    int n = r.iterations();
                    e.getValue().split.add(new double[]{r.innerSeconds() / n, r.metaLossSeconds() / n,
                            r.backwardSeconds() / n});
                }
                System.out.printf("  round %d %-48s median %.3f s/iter (%s; Hessian-vector products %s)%n", round,
                        v.label(), median(seconds), distiller.backprop(), distiller.hessianVectorProducts());
            }
        }
        System.out.printf("%nmedian seconds per meta-iteration over %d × %d iterations:%n", rounds, iterations);
        double reference = Double.NaN;
        for (Map.Entry<Variant, Timings> e : timings.entrySet()) {
            double m = median(e.getValue().perIteration);
            reference = Double.isNaN(reference) ? m : reference;
            System.out.printf("  %-48s %.3f s  (×%.2f of the first; inner %.3f, meta-loss gradient %.3f, backward %.3f)%n",
                    e.getKey().label(), m, m / reference, medianOf(e.getValue().split, 0), medianOf(e.getValue().split, 1),
                    medianOf(e.getValue().split, 2));
        }
        System.out.printf("peak RSS (VmHWM) of this process: %s; OMP_NUM_THREADS=%s, %d cores visible%n", peakRss(),
                System.getenv("OMP_NUM_THREADS"), Runtime.getRuntime().availableProcessors());
        return 0;
    }

    private DistillerConfig config(HvpSettings.Method hvp) {
        DistillerConfig defaults = DistillerConfig.of(iterations, LearningRateSchedule.constant(0.01));
        return new DistillerConfig(iterations, defaults.learningRate(), defaults.hvp().withMethod(hvp));
    }

    private static void setThreads(int n) {
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }

    private static String peakRss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return line.substring(6).trim();
            }
        }
        return "unknown";
    }

    private static double medianOf(List<double[]> rows, int column) {
        List<Double> values = new ArrayList<>();
        rows.forEach(r -> values.add(r[column]));
        return median(values);
    }

    private static double median(List<Double> values) {
        double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
