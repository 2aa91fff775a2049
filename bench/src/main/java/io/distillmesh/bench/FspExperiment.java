package io.distillmesh.bench;

import io.distillmesh.core.data.DataDirOption;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.FloatArrays;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.fsp.ChannelPermutation;
import io.distillmesh.core.fsp.FspPair;
import io.distillmesh.core.fsp.FspStudentGraph;
import io.distillmesh.core.fsp.ResidualTeacher;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.model.ResNetSpec;
import io.distillmesh.core.model.ResidualNetworks;
import io.distillmesh.core.engine.TrainingStep;
import io.distillmesh.core.train.ConsoleProgress;
import io.distillmesh.core.train.EpochOrder;
import io.distillmesh.core.train.LearningRatePlan;
import io.distillmesh.core.train.SupervisedTrainer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * FSP distillation (Yim et al. 2017) on Fashion-MNIST: a deeper residual teacher, a shallower student of the same
 * widths trained plainly or FSP-initialised (stage 1 on the teacher's FSP matrices, stage 2 on the labels), test
 * accuracy after every stage-2 epoch, mean ± std over seeds; arms trained for a third of the task epochs on their own
 * schedule; ensembles of identically and of channel-shuffled FSP students. Results go to docs/BENCHMARKS.md ("FSP
 * distillation").
 */
@Command(name = "fsp-experiment", mixinStandardHelpOptions = true,
        description = "FSP-initialised vs plain residual students on Fashion-MNIST, mean ± std over seeds.")
public final class FspExperiment implements Callable<Integer> {
    @Mixin
    DataDirOption dataDir;
    @Option(names = "--train-limit", defaultValue = "10000", description = "train on the first N training images")
    int trainLimit;
    @Option(names = "--test-limit", defaultValue = "10000", description = "test on the first N test images")
    int testLimit;
    @Option(names = "--widths", split = ",", defaultValue = "16,32,64")
    int[] widths;
    @Option(names = "--teacher-blocks", split = ",", defaultValue = "2,2,2")
    int[] teacherBlocks;
    @Option(names = "--student-blocks", split = ",", defaultValue = "1,1,1")
    int[] studentBlocks;
    @Option(names = "--teacher", defaultValue = "target/fsp-teacher.zip",
            description = "teacher file: loaded if it exists, else trained and saved there")
    Path teacherFile;
    @Option(names = "--teacher-epochs", defaultValue = "3")
    int teacherEpochs;
    @Option(names = "--teacher-train-limit", defaultValue = "10000", description = "train the teacher on the first N training images")
    int teacherTrainLimit;
    @Option(names = "--stem-stride", defaultValue = "1", description = "2 halves every feature map (faster)")
    int stemStride;
    @Option(names = "--epochs", defaultValue = "3", description = "stage-2 (task) epochs of every student arm")
    int epochs;
    @Option(names = "--fsp-epochs", defaultValue = "1", description = "stage-1 (FSP) epochs of the FSP arms")
    int fspEpochs;
    @Option(names = "--lambda", defaultValue = "1.0")
    double lambda;
    @Option(names = "--lr", defaultValue = "0.001")
    double learningRate;
    @Option(names = "--batch", defaultValue = "64")
    int batch;
    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3")
    List<Long> seeds;
    @Option(names = "--arms", split = ",", defaultValue = "plain,fsp", description = "student arms, of: plain, fsp,"
            + " fsp-shuffled (stage 1 on channel-shuffled matrices, for the ensembles), fsp-third and plain-third (a third"
            + " of the task epochs on a schedule of their own: Yim's fast-optimisation claim and its control)"
            + " (default: ${DEFAULT-VALUE})")
    List<ArmKind> arms;
    @Option(names = "--batch-norm", description = "batch normalisation after every convolution of teacher and student")
    boolean batchNorm;
    @Option(names = "--momentum", defaultValue = "0", description = "Nesterov momentum of SGD; 0 for Adam")
    double momentum;
    @Option(names = "--l2", defaultValue = "0", description = "L2 regularisation of the weights (with --momentum)")
    double l2;
    @Option(names = "--lr-schedule", defaultValue = "constant", description = "stage 2: constant or one-cycle")
    String lrSchedule;
    @Option(names = "--fsp-lr", defaultValue = "0", description = "stage-1 learning rate (constant); 0: --lr")
    double fspLearningRate;
    @Option(names = "--streamed", description = "the FSP arms learn from the teacher's matrices streamed through a "
            + "real (embedded) Kafka broker by the teacher service's streamer, not from the teacher in memory")
    boolean streamed;

    @Spec
    CommandSpec spec;
    private LabelledImages train;
    private LabelledImages test;
    /** The student after stage 1 on the teacher's own matrices, per seed: arms that differ only in stage 2 share it. */
    private final Map<Long, StageOne> stageOneResults = new HashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new FspExperiment())
                .registerConverter(ArmKind.class, ArmKind::valueOfName).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        System.out.println("command: fsp-experiment " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        System.out.println("machine: " + Machine.describe());
        Path dir = dataDir.dir();
        train = FashionMnist.load(dir, FashionMnist.Split.TRAIN).head(trainLimit);
        test = FashionMnist.load(dir, FashionMnist.Split.TEST).head(testLimit);
        LearningRatePlan.parse(lrSchedule, learningRate, 1); // refuses an unknown schedule before any work
        ResNetSpec studentSpec = spec(studentBlocks);
        ResidualTeacher teacher = teacher();
        double teacherAccuracy = GraphEvaluation.accuracy(GraphEvaluation.probabilities(teacher.network(), test),
                test.labels());
        System.out.printf("teacher %s: test accuracy %.4f%n", teacher.network().getConfiguration().getVertices().size()
                + "-vertex " + teacherSpec().describe(), teacherAccuracy);
        List<FspPair> pairs = new ArrayList<>();
        for (int k = 1; k <= widths.length; k++) {
            pairs.add(new FspPair(ResidualNetworks.stageEntry(k), ResidualNetworks.stageExit(k)));
        }
        long t0 = System.nanoTime();
        boolean fsp = arms.stream().anyMatch(ArmKind::fsp);
        List<float[][]> targets = !fsp ? List.of() : streamed ? StreamedFspTargets.of(teacher, train, pairs, 42)
                : teacherMatrices(teacher, pairs);
        if (fsp) {
            System.out.printf("teacher FSP matrices for %d images, pairs %s%s: %.1f s%n", train.size(), pairs,
                    streamed ? ", streamed" : "", (System.nanoTime() - t0) / 1e9);
        }

        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        Map<String, List<float[][]>> members = new LinkedHashMap<>();
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        for (long seed : seeds) {
            for (ArmKind kind : new LinkedHashSet<>(arms)) {
                run(kind.arm(seed, epochs), seed, studentSpec.withSeed(seed), pairs, targets, curves, members, seconds);
            }
        }
        System.out.println();
        System.out.printf("setup: teacher %s, student %s, %d train / %d test images, batch %d, %s,"
                        + " stage 1: %d FSP epochs at lambda %s and constant lr %s, stage 2: %d epochs of cross-entropy"
                        + " (%s schedule); FSP matrices %s; seeds %s%n",
                teacherSpec().describe(), studentSpec.describe(), train.size(), test.size(), batch, optimizer(),
                fspEpochs, lambda, stageOneRate(), epochs, lrSchedule,
                streamed ? "streamed through Kafka" : "from the teacher in memory", seeds);
        System.out.println();
        int third = Math.max(1, epochs / 3);
        System.out.println("| arm | task epochs | test acc % after " + third + " epoch(s) | Δ vs plain, pp | test acc % at"
                + " the end | Δ vs plain at " + epochs + " epochs, pp | seconds per run (both stages) | seeds |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String arm : curves.keySet()) {
            int armEpochs = curves.get(arm).get(0).length;
            double[] early = curves.get(arm).stream().mapToDouble(c -> c[third - 1]).toArray();
            double[] last = curves.get(arm).stream().mapToDouble(c -> c[c.length - 1]).toArray();
            List<double[]> plain = arm.equals(ArmKind.PLAIN.label) ? null : curves.get(ArmKind.PLAIN.label);
            System.out.printf("| %s | %d | %s | %s | %s | %s | %.0f | %s |%n", arm, armEpochs, Stats.of(early).percent(),
                    plain == null ? "—" : Stats.of(minus(early, at(plain, third - 1))).signedPercent(),
                    Stats.of(last).percent(),
                    plain == null ? "—" : Stats.of(minus(last, at(plain, epochs - 1))).signedPercent(),
                    seconds.get(arm).stream().mapToDouble(Double::doubleValue).average().orElse(0), seeds);
        }
        System.out.printf("| teacher %s (reference) | — | — | — | %.2f | — | — | — |%n",
                teacherSpec().describe(), 100 * teacherAccuracy);
        if (seeds.size() > 1) {
            System.out.println();
            System.out.println("| ensemble of " + seeds.size() + " (mean probabilities) | test acc % | mean member acc % | gain, pp |");
            System.out.println("|---|---|---|---|");
            for (String arm : members.keySet()) {
                double ensemble = GraphEvaluation.ensembleAccuracy(members.get(arm), test.labels());
                double mean = curves.get(arm).stream().mapToDouble(c -> c[c.length - 1]).average().orElse(0);
                System.out.printf("| %s | %.2f | %.2f | %+.2f |%n", arm, 100 * ensemble, 100 * mean, 100 * (ensemble - mean));
            }
        }
        System.out.printf("%nwall time: %.1f min%n", (System.nanoTime() - start) / 60e9);
        return 0;
    }

    /** The arms one can ask for. */
    enum ArmKind {
        PLAIN("plain"), FSP("FSP"), FSP_SHUFFLED("FSP shuffled"), FSP_THIRD("FSP, ⅓ of the epochs"),
        PLAIN_THIRD("plain, ⅓ of the epochs");

        final String label;

        ArmKind(String label) {
            this.label = label;
        }

        /** Picocli's name for it: fsp-shuffled for FSP_SHUFFLED. */
        static ArmKind valueOfName(String name) {
            return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }

        boolean fsp() {
            return this == FSP || this == FSP_SHUFFLED || this == FSP_THIRD;
        }

        Arm arm(long seed, int epochs) {
            boolean third = this == FSP_THIRD || this == PLAIN_THIRD;
            return new Arm(label, fsp(), this == FSP_SHUFFLED ? new ChannelPermutation(seed) : null,
                    third ? Math.max(1, epochs / 3) : epochs);
        }
    }

    /** A student after stage 1 and the seconds that stage took. */
    private record StageOne(INDArray params, double seconds) {
    }

    /** A student arm: its name, whether stage 1 runs first (on permuted matrices where given), its task epochs. */
    private record Arm(String name, boolean fsp, ChannelPermutation permutation, int epochs) {
    }

    private static double[] at(List<double[]> curves, int epoch) {
        return curves.stream().mapToDouble(c -> c[epoch]).toArray();
    }

    private void run(Arm arm, long seed, ResNetSpec spec, List<FspPair> pairs, List<float[][]> targets,
                     Map<String, List<double[]>> curves, Map<String, List<float[][]>> members,
                     Map<String, List<Double>> seconds) {
        long start = System.nanoTime();
        ComputationGraph student = ModelZoo.resnetClassifier(spec);
        String fspNote = "";
        double sharedSeconds = 0;
        StageOne shared = arm.permutation() == null ? stageOneResults.get(seed) : null;
        if (arm.fsp() && shared != null) {
            student.setParams(shared.params());
            sharedSeconds = shared.seconds();
            fspNote = String.format(", stage 1 shared with the seed's first FSP arm (its %.0f s counted here too)",
                    sharedSeconds);
        } else if (arm.fsp()) {
            FspStudentGraph stageOne = new FspStudentGraph(spec.withLearningRate(stageOneRate()), pairs, lambda);
            double first = Double.NaN;
            double loss = Double.NaN;
            EpochOrder order = new EpochOrder(train.size(), seed + 1000);
            for (int epoch = 0; epoch < fspEpochs; epoch++) {
                int[] perm = order.permutation(epoch);
                for (int from = 0; from < perm.length; from += batch) {
                    int[] ids = EpochOrder.slice(perm, from, Math.min(perm.length, from + batch));
                    List<INDArray> g = new ArrayList<>();
                    for (int p = 0; p < pairs.size(); p++) {
                        INDArray matrices = rows(targets.get(p), ids, widths[p]);
                        g.add(arm.permutation() == null ? matrices : arm.permutation().apply(matrices, pairs.get(p)));
                    }
                    loss = stageOne.fit(train.features(ids), g);
                    first = Double.isNaN(first) ? loss : first;
                }
                System.out.printf("    %s seed %d: FSP epoch %d/%d, loss %.4f (first step %.4f) by %s, %.0f s%n",
                        arm.name(), seed, epoch + 1, fspEpochs, loss, first, stageOne.trainingPath(),
                        (System.nanoTime() - start) / 1e9);
            }
            stageOne.transferTo(student);
            if (arm.permutation() == null) {
                stageOneResults.put(seed, new StageOne(student.params().dup(), (System.nanoTime() - start) / 1e9));
            }
            fspNote = String.format(", stage-1 FSP loss %.4f → %.4f", first, loss);
        }
        int batches = (train.size() + batch - 1) / batch;
        LearningRatePlan.parse(lrSchedule, learningRate, (long) arm.epochs() * batches).applyTo(student);
        TrainingStep step = TrainingStep.of(student, "the " + arm.name() + " student");
        double[] curve = new double[arm.epochs()];
        float[][] last = null;
        EpochOrder order = new EpochOrder(train.size(), seed);
        for (int epoch = 0; epoch < arm.epochs(); epoch++) {
            int[] perm = order.permutation(epoch);
            for (int from = 0; from < perm.length; from += batch) {
                int[] ids = EpochOrder.slice(perm, from, Math.min(perm.length, from + batch));
                step.step(train.features(ids), train.oneHot(ids));
            }
            student.incrementEpochCount();
            last = GraphEvaluation.probabilities(student, test);
            curve[epoch] = GraphEvaluation.accuracy(last, test.labels());
            System.out.printf("    %s seed %d: task epoch %d/%d, test accuracy %.2f %% by %s, %.0f s%n", arm.name(),
                    seed, epoch + 1, arm.epochs(), 100 * curve[epoch], step.path(), (System.nanoTime() - start) / 1e9);
        }
        double secs = sharedSeconds + (System.nanoTime() - start) / 1e9;
        curves.computeIfAbsent(arm.name(), a -> new ArrayList<>()).add(curve);
        members.computeIfAbsent(arm.name(), a -> new ArrayList<>()).add(last);
        seconds.computeIfAbsent(arm.name(), a -> new ArrayList<>()).add(secs);
        System.out.printf("  %-14s seed %d: test accuracy by epoch %s%s, %.0f s%n", arm.name(), seed,
                Arrays.toString(Arrays.stream(curve).map(a -> Math.round(a * 10000) / 100.0).toArray()),
                fspNote, secs);
    }

    private ResNetSpec spec(int[] blocks) {
        ResNetSpec spec = new ResNetSpec(blocks, widths, stemStride, learningRate, 0, 10);
        spec = batchNorm ? spec.withBatchNorm() : spec;
        return momentum > 0 ? spec.withNesterovs(momentum, l2) : spec;
    }

    private double stageOneRate() {
        return fspLearningRate > 0 ? fspLearningRate : learningRate;
    }

    private String optimizer() {
        return momentum > 0 ? String.format("SGD with Nesterov momentum %s, L2 %s, lr %s", momentum, l2, learningRate)
                : "Adam " + learningRate;
    }

    private ResNetSpec teacherSpec() {
        return spec(teacherBlocks);
    }

    private ResidualTeacher teacher() throws IOException {
        if (Files.isRegularFile(teacherFile)) {
            return ResidualTeacher.load(teacherFile);
        }
        ComputationGraph net = ModelZoo.resnetClassifier(teacherSpec().withSeed(42));
        LabelledImages teacherData = FashionMnist.load(dataDir.dir(), FashionMnist.Split.TRAIN)
                .head(teacherTrainLimit);
        try (ConsoleProgress bar = new ConsoleProgress("teacher " + teacherSpec().describe(),
                (long) teacherEpochs * teacherData.size())) {
            new SupervisedTrainer(teacherEpochs, batch, 42).fit(net, teacherData, bar);
        }
        if (teacherFile.getParent() != null) {
            Files.createDirectories(teacherFile.getParent());
        }
        ModelSerializer.writeModel(net, teacherFile.toFile(), false);
        return new ResidualTeacher(net, teacherFile.getFileName().toString());
    }

    /** The teacher's FSP matrices of every training image, per pair, as rows of c·c floats. */
    private List<float[][]> teacherMatrices(ResidualTeacher teacher, List<FspPair> pairs) {
        List<float[][]> out = new ArrayList<>();
        for (int p = 0; p < pairs.size(); p++) {
            out.add(new float[train.size()][]);
        }
        for (int from = 0; from < train.size(); from += 250) {
            int[] ids = Ranges.of(from, Math.min(train.size(), from + 250));
            List<INDArray> g = teacher.forward(train.features(ids), 1.0, pairs).fspMatrices();
            for (int p = 0; p < pairs.size(); p++) {
                float[][] rows = FloatArrays.rows(g.get(p).reshape(ids.length, g.get(p).length() / ids.length));
                System.arraycopy(rows, 0, out.get(p), from, rows.length);
            }
        }
        return out;
    }

    private static INDArray rows(float[][] all, int[] ids, int channels) {
        float[][] picked = new float[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            picked[i] = all[ids[i]];
        }
        return Nd4j.create(picked).reshape(ids.length, channels, channels);
    }

    private static double[] minus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

}
