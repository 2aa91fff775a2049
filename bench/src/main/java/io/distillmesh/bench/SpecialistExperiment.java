package io.distillmesh.bench;

import io.distillmesh.core.condense.Augmentation;
import io.distillmesh.core.data.DataDirOption;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.eval.ArgMax;
import io.distillmesh.core.eval.LogitBatches;
import io.distillmesh.core.specialist.ConfusionGroups;
import io.distillmesh.core.specialist.Generalist;
import io.distillmesh.core.specialist.HeldOutWeighting;
import io.distillmesh.core.specialist.Specialist;
import io.distillmesh.core.specialist.SpecialistEnsemble;
import io.distillmesh.core.specialist.SpecialistOpinion;
import io.distillmesh.core.specialist.SpecialistTrainer;
import io.distillmesh.core.specialist.SpecialistWeighting;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Specialists (Hinton et al. 2015, section 5) on Fashion-MNIST with a shipped teacher (plain CNN or residual network)
 * as the generalist: groups of confusable classes from the covariance of its predictions on the first half of the
 * test set, one or more specialists per group (one set per seed), then accuracy of the generalist alone vs generalist +
 * specialists on the other half, overall, on each group's classes and by how many specialists cover the true class,
 * with a paired bootstrap interval over the test images. Results go to docs/BENCHMARKS.md ("Specialists").
 */
@Command(name = "specialist-experiment", mixinStandardHelpOptions = true,
        description = "Generalist vs generalist + specialists on Fashion-MNIST.")
public final class SpecialistExperiment implements Callable<Integer> {
    @Option(names = "--generalist", defaultValue = "models/teacher-cnn.zip")
    Path generalistFile;
    @Mixin
    DataDirOption dataDir;
    @Option(names = "--held-out", defaultValue = "5000", description = "test images used to find the groups; the rest evaluate")
    int heldOut;
    @Option(names = "--clusters", defaultValue = "4", description = "K-means clusters on the covariance columns")
    int clusters;
    @Option(names = "--per-half", defaultValue = "4000", description = "group samples per specialist (and as many others)")
    int perHalf;
    @Option(names = "--epochs", defaultValue = "2")
    int epochs;
    @Option(names = "--batch", defaultValue = "64")
    int batch;
    @Option(names = "--temperature", defaultValue = "2.0")
    double temperature;
    @Option(names = "--alpha", defaultValue = "0.5", description = "weight of the generalist's soft targets")
    double alpha;
    @Option(names = "--lr", defaultValue = "0.0005")
    double learningRate;
    @Option(names = "--group", description = "a group of class indices to use instead of the clusters;"
            + " repeat for several (e.g. --group 0,2,4,6: T-shirt/top, Pullover, Coat, Shirt)")
    List<String> fixedGroups;
    @Option(names = "--confused-pairs", defaultValue = "0", description = "add a specialist for each of this many"
            + " class pairs the generalist confuses most on the held-out test images (pairs already a group skipped)")
    int confusedPairs;
    @Option(names = "--streamed", defaultValue = "0", description = "train the specialists as student consumers of the "
            + "generalist's soft-target stream of this many training images on an embedded Kafka broker (0: in memory)")
    int streamed;
    @Option(names = "--augment", defaultValue = "none", description = "in memory: augment each training image of the "
            + "specialists (none, dsa, or operations such as crop,flip; default: ${DEFAULT-VALUE})")
    String augment;
    @Option(names = "--seeds", split = ",", defaultValue = "1",
            description = "one set of specialists per seed (training order, rest sampling, initialisation of the dustbin's"
                    + " layer); the groups are found once, with the first")
    long[] seeds;
    @Option(names = "--per-group", defaultValue = "1", description = "specialists a group in each seed's set, each with"
            + " its own seed (seed + 1000·r); the results are shown consulting the first 1, 2, ... of them")
    int perGroup;
    @Option(names = "--weighting", split = ",", defaultValue = "equal", description = "how the specialists' terms weigh"
            + " against the generalist's, one result each: equal (the paper), shared (the consulted specialists share one"
            + " generalist's weight), held-out (the weighting right most often on the held-out test images, among"
            + " --weight-scales each and shared)")
    List<String> weightings;
    @Option(names = "--weight-scales", split = ",", defaultValue = "0.25,0.5,1,2,4")
    double[] weightScales;
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SpecialistExperiment()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        System.out.println("command: specialist-experiment " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        System.out.println("machine: " + Machine.describe());
        if (perGroup < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--per-group must be at least 1");
        }
        for (String rule : weightings) {
            if (!List.of("equal", "shared", "held-out").contains(rule)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown --weighting " + rule + " (equal, shared or held-out)");
            }
        }
        if (streamed > 0 && !Augmentation.parse(augment).none()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--augment applies to specialists trained in memory; the streamed ones train as the student service does");
        }
        Path dir = dataDir.dir();
        LabelledImages train = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
        LabelledImages test = FashionMnist.load(dir, FashionMnist.Split.TEST);
        LabelledImages groupsData = test.slice(0, heldOut, test.name() + "[0:" + heldOut + "]");
        LabelledImages evaluation = test.slice(heldOut, test.size(), test.name() + "[" + heldOut + ":]");
        Generalist generalist = Generalist.load(generalistFile);

        double[][] heldOutProbabilities = LogitBatches.probabilities(groupsData, generalist.model(), 1000);
        List<int[]> groups = groups(heldOutProbabilities, groupsData);

        double[][] pg = LogitBatches.probabilities(evaluation, generalist.model(), 1000);
        int[] alone = Arrays.stream(pg).mapToInt(ArgMax::of).toArray();
        Map<String, List<int[]>> combinedByRule = new LinkedHashMap<>();
        SpecialistTables tables = new SpecialistTables(evaluation, alone, groups);
        boolean heldOutChoice = weightings.contains("held-out");
        int consulted = 0;
        for (long seed : seeds) {
            List<Specialist> specialists = train(generalist, train, groups, seed);
            List<SpecialistOpinion[]> opinions = new ArrayList<>();
            List<SpecialistOpinion[]> heldOutOpinions = new ArrayList<>();
            for (Specialist s : specialists) {
                opinions.add(opinions(s, evaluation));
                if (heldOutChoice) {
                    heldOutOpinions.add(opinions(s, groupsData));
                }
            }
            for (int k = 1; k <= perGroup; k++) {
                List<List<SpecialistOpinion>> consultedOpinions = firstOfEachGroup(opinions, k, evaluation.size());
                List<List<SpecialistOpinion>> consultedHeldOut = heldOutChoice
                        ? firstOfEachGroup(heldOutOpinions, k, groupsData.size()) : List.of();
                consulted = (int) java.util.stream.IntStream.range(0, evaluation.size())
                        .filter(i -> !SpecialistEnsemble.standard().relevant(pg[i], consultedOpinions.get(i)).isEmpty()).count();
                for (String rule : weightings) {
                    SpecialistWeighting weighting = weighting(rule, heldOutProbabilities, consultedHeldOut, groupsData.labels(), seed);
                    int[] combined = SpecialistEnsemble.standard().weighted(weighting).predictions(pg, consultedOpinions);
                    String label = k + " specialist(s) a group consulted, weighting " + rule;
                    combinedByRule.computeIfAbsent(label, l -> new ArrayList<>()).add(combined);
                    System.out.printf("seed %d, %s (%s): generalist %.2f %%, generalist + specialists %.2f %%"
                                    + " on test images %d-%d%n", seed, label, weighting, SpecialistTables.accuracy(alone, evaluation, c -> true),
                            SpecialistTables.accuracy(combined, evaluation, c -> true), heldOut, test.size() - 1);
                    if (seeds.length > 1) {
                        tables.print("seed " + seed + " alone, " + label, List.of(combined));
                    }
                }
            }
        }

        System.out.println();
        String data = streamed > 0 ? "their group and the sampled rest of a " + streamed + "-image stream"
                : perHalf + " group + " + perHalf + " other training images each";
        System.out.printf("setup: generalist %s, %d specialist(s) a group initialised from it, %s, %d epochs, batch %d,"
                        + " Adam %s, KD loss T=%s alpha=%s, seeds %s; evaluation on test images %d-%d (specialists"
                        + " consulted for %d of them, n=1)%n", generalistFile, perGroup, data, epochs, batch,
                learningRate, temperature, alpha, Arrays.toString(seeds), heldOut, test.size() - 1, consulted);
        combinedByRule.forEach(tables::print);
        System.out.printf("%nwall time: %.1f min%n", (System.nanoTime() - start) / 60e9);
        return 0;
    }

    /** The K-means groups (or those given), then the most-confused pairs asked for, from the held-out images. */
    private List<int[]> groups(double[][] heldOutProbabilities, LabelledImages groupsData) {
        List<int[]> groups = ConfusionGroups.find(toFloat(heldOutProbabilities), clusters, seeds[0]);
        System.out.println("confusable groups (K-means, " + clusters + " clusters, on " + groupsData.size()
                + " held-out test images): " + groups.stream().map(SpecialistTables::names).collect(Collectors.joining("; ")));
        if (fixedGroups != null && !fixedGroups.isEmpty()) {
            groups = fixedGroups.stream().map(g -> Arrays.stream(g.split(",")).map(String::trim)
                    .mapToInt(Integer::parseInt).toArray()).toList();
            System.out.println("specialists for the groups given instead: "
                    + groups.stream().map(SpecialistTables::names).collect(Collectors.joining("; ")));
        }
        if (confusedPairs > 0) {
            int[] predicted = Arrays.stream(heldOutProbabilities).mapToInt(ArgMax::of).toArray();
            int classes = FashionMnist.CLASS_NAMES.size();
            List<int[]> chosen = groups;
            List<int[]> pairs = ConfusionGroups.mostConfusedPairs(predicted, groupsData.labels(), classes,
                            classes * classes).stream()
                    .filter(pair -> chosen.stream().noneMatch(g -> Arrays.equals(g, pair))).limit(confusedPairs).toList();
            System.out.println("and for the " + pairs.size() + " pairs, not already a group, that the generalist"
                    + " confuses most on the held-out images: "
                    + pairs.stream().map(SpecialistTables::names).collect(Collectors.joining("; ")));
            List<int[]> all = new ArrayList<>(groups);
            all.addAll(pairs);
            groups = all;
        }
        return groups;
    }

    private List<Specialist> train(Generalist generalist, LabelledImages train, List<int[]> groups, long seed)
            throws Exception {
        if (streamed > 0) {
            return new StreamedSpecialists(generalistFile, streamed, epochs, batch, temperature, alpha, learningRate,
                    replicaSeeds(seed)).train(generalist, train, groups);
        }
        List<Specialist> specialists = new ArrayList<>();
        for (int[] group : groups) {
            for (long replicaSeed : replicaSeeds(seed)) {
                SpecialistTrainer trainer = new SpecialistTrainer(epochs, batch, temperature, alpha, learningRate,
                        replicaSeed, Augmentation.parse(augment));
                long t0 = System.nanoTime();
                specialists.add(trainer.train(generalist, train, group, perHalf));
                System.out.printf("specialist %s (seed %d): trained in %.0f s%n", SpecialistTables.names(group), replicaSeed,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        return specialists;
    }

    /** Per image, the opinions of the first {@code k} specialists of each group (they are stored group by group). */
    private List<List<SpecialistOpinion>> firstOfEachGroup(List<SpecialistOpinion[]> opinions, int k, int images) {
        List<List<SpecialistOpinion>> out = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            List<SpecialistOpinion> sample = new ArrayList<>();
            for (int m = 0; m < opinions.size(); m++) {
                if (m % perGroup < k) {
                    sample.add(opinions.get(m)[i]);
                }
            }
            out.add(sample);
        }
        return out;
    }

    private SpecialistWeighting weighting(String rule, double[][] heldOutGeneralist,
                                          List<List<SpecialistOpinion>> heldOutOpinions, int[] heldOutLabels, long seed) {
        return switch (rule) {
            case "equal" -> SpecialistWeighting.EQUAL;
            case "shared" -> new SpecialistWeighting(1.0, true);
            case "held-out" -> {
                HeldOutWeighting.Choice choice = HeldOutWeighting.choose(SpecialistEnsemble.standard(), heldOutGeneralist,
                        heldOutOpinions, heldOutLabels, SpecialistWeighting.candidates(weightScales));
                StringBuilder line = new StringBuilder("seed " + seed + ", held-out accuracy by weighting:");
                for (int c = 0; c < choice.candidates().size(); c++) {
                    line.append(String.format(" %s %.2f %%;", choice.candidates().get(c), 100 * choice.accuracies()[c]));
                }
                System.out.println(line + " chosen: " + choice.best());
                yield choice.best();
            }
            default -> throw new IllegalStateException("--weighting " + rule + " passed the check in call()");
        };
    }

    private long[] replicaSeeds(long seed) {
        return java.util.stream.LongStream.range(0, perGroup).map(r -> seed + 1000L * r).toArray();
    }

    private static SpecialistOpinion[] opinions(Specialist specialist, LabelledImages data) {
        int[] classes = specialist.classes();
        return Arrays.stream(specialist.opinions(data, 1000)).map(p -> new SpecialistOpinion(classes, p))
                .toArray(SpecialistOpinion[]::new);
    }

    private static float[][] toFloat(double[][] p) {
        float[][] out = new float[p.length][];
        for (int i = 0; i < p.length; i++) {
            out[i] = new float[p[i].length];
            for (int k = 0; k < p[i].length; k++) {
                out[i][k] = (float) p[i][k];
            }
        }
        return out;
    }

}
