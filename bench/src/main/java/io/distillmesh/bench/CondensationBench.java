package io.distillmesh.bench;

import io.distillmesh.core.artifact.CondensedArtifact;
import io.distillmesh.core.artifact.Provenance;
import io.distillmesh.core.condense.Augmentation;
import io.distillmesh.core.condense.CondensedBaselines;
import io.distillmesh.core.condense.Condensation;
import io.distillmesh.core.condense.CondensationSettings;
import io.distillmesh.core.condense.CondensedSet;
import io.distillmesh.core.condense.SetEvaluation;
import io.distillmesh.core.condense.TrainingRecipe;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Dataset condensation (distribution matching, gradient matching) against the papers' baselines, all arms in one
 * run: for each images-per-class and ConvNet width, the condensed sets, random real images and per-class k-means
 * centroids, each
 * evaluated by the same recipe on K fresh ConvNets of that width (and on the cross-architecture networks named by
 * --cross), tested on the 10,000 test images. Prints seconds per outer iteration, wall time and peak RSS.
 */
@Command(name = "condensation", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Distribution and gradient matching vs random real images and k-means, with the papers' evaluation.")
public final class CondensationBench implements Callable<Integer> {
    @Option(names = "--objectives", split = ",", defaultValue = "distribution-matching",
            description = "distribution-matching, gradient-matching, mmd-matching (default: ${DEFAULT-VALUE})")
    List<String> objectives;
    @Option(names = "--no-baselines", description = "condensed sets only")
    boolean noBaselines;
    @Option(names = "--ipc", split = ",", defaultValue = "1,10", description = "images per class (default: ${DEFAULT-VALUE})")
    int[] imagesPerClass;
    @Option(names = "--widths", split = ",", defaultValue = "32", description = "ConvNet widths (default: ${DEFAULT-VALUE})")
    int[] widths;
    @Option(names = "--iterations", defaultValue = "1000")
    int iterations;
    @Option(names = "--real-per-class", defaultValue = "64", description = "real images per class per iteration")
    int realPerClass;
    @Option(names = "--image-lr", description = "SGD learning rate of the images (default: each method's)")
    Double imageLearningRate;
    @Option(names = "--image-momentum", defaultValue = "0.5")
    double imageMomentum;
    @Option(names = "--init", defaultValue = "real", description = "real or noise")
    String init;
    @Option(names = "--networks", defaultValue = "5", description = "K evaluation networks per arm")
    int networks;
    @Option(names = "--epochs", defaultValue = "300", description = "evaluation recipe epochs")
    int epochs;
    @Option(names = "--cross", split = ",", defaultValue = "lenet,mlp", description = "cross-architecture networks")
    List<String> cross;
    @Option(names = "--augmentations", split = ";", defaultValue = "none", description = "differentiable "
            + "augmentations compared, separated by ';': none, dsa or e.g. crop,scale,rotate (default: ${DEFAULT-VALUE})")
    List<String> augmentations;
    @Option(names = "--plain-condensing", description = "augment in the evaluation recipe only, not while condensing")
    boolean plainCondensing;
    @Option(names = "--seed", defaultValue = "1")
    long seed;
    @Option(names = "--save", description = "directory to write each condensed set to (a DMCS artifact)")
    Path save;
    @Option(names = "--evaluate", split = ",", description = "saved sets (DMCS artifacts) to evaluate on ConvNets of "
            + "each --widths instead of condensing")
    List<Path> evaluate;
    @Option(names = "--baselines", split = ",", defaultValue = "random,k-means", description = "with --evaluate: the "
            + "baselines evaluated beside each set by the same recipe (default: ${DEFAULT-VALUE})")
    List<String> baselines;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CondensationBench()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        cross = cross.stream().map(String::trim).filter(name -> !name.isEmpty()).toList();
        long start = System.nanoTime();
        System.out.println("machine: " + Machine.describe());
        LabelledImages train = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN);
        LabelledImages test = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST);
        TrainingRecipe plainRecipe = TrainingRecipe.papers().withEpochs(epochs);
        System.out.println("evaluation: " + plainRecipe.describe() + ", K = " + networks);
        if (evaluate != null) {
            evaluateSaved(plainRecipe, train, test);
            System.out.printf("wall %.0f s, peak RSS %s%n", (System.nanoTime() - start) / 1e9, peakRss());
            return 0;
        }
        List<String> rows = new ArrayList<>();
        rows.add("| images/class | width | augmentation | arm | ConvNet | " + cross.stream().map(name -> name + " | ").reduce("", String::concat)
                + "s/iteration | condensing s |");
        rows.add("|---|---|---|---|---|" + "---|".repeat(cross.size()) + "---|---|");
        for (int ipc : imagesPerClass) {
            for (int width : widths) {
                for (String augmentation : augmentations) {
                    arms(ipc, width, Augmentation.parse(augmentation), plainRecipe, train, test, rows);
                }
            }
        }
        System.out.println();
        rows.forEach(System.out::println);
        System.out.printf("wall %.0f s, peak RSS %s%n", (System.nanoTime() - start) / 1e9, peakRss());
        return 0;
    }

    /**
     * Scores each saved set on ConvNets of every width, each augmentation applied by the recipe only, and then the
     * baselines of the set's size by the same recipe.
     */
    private void evaluateSaved(TrainingRecipe plainRecipe, LabelledImages train, LabelledImages test) {
        List<String> rows = new ArrayList<>();
        rows.add("| set | made with | evaluation network | augmentation | accuracy |");
        rows.add("|---|---|---|---|---|");
        for (Path file : evaluate) {
            CondensedArtifact.Stored stored = CondensedArtifact.read(file);
            CondensedSet set = stored.set();
            for (int width : widths) {
                for (String augmentation : augmentations) {
                    Augmentation a = Augmentation.parse(augmentation);
                    ModelSpec convNet = ModelSpec.convNet(seed, width, 3);
                    TrainingRecipe recipe = plainRecipe.withAugmentation(a);
                    String columns = " | " + convNet.describe() + " | " + a.describe() + " | ";
                    rows.add("| " + file.getFileName() + " | " + set.network().describe() + columns
                            + score(set.features(), set.labels(), convNet, recipe, test) + " |");
                    rows.forEach(System.out::println);
                    for (String baseline : noBaselines ? List.<String>of() : baselines) {
                        int ipc = set.imagesPerClass();
                        CondensedSet other = baseline(baseline.trim(), convNet, recipe, ipc, train);
                        rows.add("| " + baseline.trim() + ", " + ipc + " a class | –" + columns
                                + score(other.features(), other.labels(), convNet, recipe, test) + " |");
                        rows.forEach(System.out::println);
                    }
                }
            }
        }
    }

    /** One block of the table: each objective's set, then the baselines, under one augmentation. */
    private void arms(int ipc, int width, Augmentation augmentation, TrainingRecipe plainRecipe, LabelledImages train,
                      LabelledImages test, List<String> rows) throws IOException {
        TrainingRecipe recipe = plainRecipe.withAugmentation(augmentation);
        String column = width + " | " + augmentation.describe()
                + (plainCondensing && !augmentation.none() ? " (evaluation only)" : "");
        ModelSpec convNet = ModelSpec.convNet(seed, width, 3);
        for (String objective : objectives) {
            double lr = imageLearningRate != null ? imageLearningRate
                    : Condensation.defaultImageLearningRate(objective);
            CondensationSettings settings = new CondensationSettings(convNet, ipc, iterations, realPerClass,
                    lr, imageMomentum, init.equals("noise") ? CondensationSettings.ImageStart.NOISE
                    : CondensationSettings.ImageStart.REAL, seed, recipe,
                    plainCondensing ? Augmentation.NONE : augmentation);
            long t0 = System.nanoTime();
            int every = Math.max(1, iterations / 10);
            CondensedSet set = Condensation.of(objective, train, settings).run((done, total, loss) -> {
                if (done % every == 0 || done == total) {
                    System.out.printf("  %s ipc %d width %d: iteration %d/%d, loss %.4f%n", objective, ipc,
                            width, done, total, loss);
                }
            }, () -> false);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (save != null) {
                CondensedArtifact.write(set, Provenance.of("condensation benchmark", objective,
                        "{\"iterations\":" + iterations + ",\"realPerClass\":" + realPerClass + ",\"imageLr\":"
                                + lr + ",\"seed\":" + seed + ",\"augmentation\":\"" + augmentation.describe()
                                + "\"}"),
                        save.resolve(objective + "-ipc" + ipc + "-w" + width
                                + (augmentation.none() ? "" : "-augmented") + ".dmcs"));
            }
            String timing = String.format("%.3f | %.0f", seconds / iterations, seconds);
            rows.add(row(ipc, column, objective, set.features(), set.labels(), convNet, recipe, test, timing));
            rows.forEach(System.out::println);
        }
        if (noBaselines) {
            return;
        }
        CondensedSet random = baseline("random", convNet, recipe, ipc, train);
        rows.add(row(ipc, column, "random real", random.features(), random.labels(), convNet, recipe, test, "– | –"));
        CondensedSet kMeans = baseline("k-means", convNet, recipe, ipc, train);
        rows.add(row(ipc, column, "k-means", kMeans.features(), kMeans.labels(), convNet, recipe, test, "– | –"));
        rows.forEach(System.out::println);
    }

    /** Random real images of each class, or per-class k-means centroids of up to 6,000 images. */
    private CondensedSet baseline(String kind, ModelSpec convNet, TrainingRecipe recipe, int ipc, LabelledImages train) {
        return switch (kind) {
            case "random" -> CondensedBaselines.randomReal(convNet, recipe, ipc, train, seed + ipc);
            case "k-means" -> CondensedBaselines.kMeans(convNet, recipe, ipc, train, 6000, seed);
            default -> throw new IllegalArgumentException("unknown baseline '" + kind + "', known: random, k-means");
        };
    }

    private String row(int ipc, String widthAndAugmentation, String arm, INDArray x, INDArray y, ModelSpec convNet, TrainingRecipe recipe,
                       LabelledImages test, String timing) {
        StringBuilder sb = new StringBuilder("| " + ipc + " | " + widthAndAugmentation + " | " + arm + " | ");
        sb.append(score(x, y, convNet, recipe, test)).append(" | ");
        for (String name : cross) {
            ModelSpec other = name.equals("mlp") ? ModelSpec.mlp(seed, 128) : ModelSpec.named(name, seed, 128);
            sb.append(score(x, y, other, recipe, test)).append(" | ");
        }
        return sb.append(timing).append(" |").toString();
    }

    private String score(INDArray x, INDArray y, ModelSpec network, TrainingRecipe recipe, LabelledImages test) {
        long t0 = System.nanoTime();
        SetEvaluation.Score score = SetEvaluation.of(x, y, network, recipe, networks, test);
        System.out.printf("    %s (%.0f s)%n", score.describe(), (System.nanoTime() - t0) / 1e9);
        return Stats.of(score.accuracies()).percent();
    }

    private static String peakRss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                    .map(l -> l.substring(6).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
