package io.distillmesh.distiller.cli;

import io.distillmesh.core.artifact.DistilledArtifact;
import io.distillmesh.core.artifact.ImageGrid;
import io.distillmesh.core.artifact.Provenance;
import io.distillmesh.core.condense.Augmentation;
import io.distillmesh.core.condense.Condensation;
import io.distillmesh.core.condense.CondensationSettings;
import io.distillmesh.core.condense.RecipeTraining;
import io.distillmesh.core.condense.TrainingRecipe;
import io.distillmesh.core.data.DataDirOption;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.data.PixelStatistics;
import io.distillmesh.core.distill.AdaptationObjective;
import io.distillmesh.core.distill.BestOnValidation;
import io.distillmesh.core.distill.ClassificationObjective;
import io.distillmesh.core.distill.DatasetDistiller;
import io.distillmesh.core.distill.DistillationListener;
import io.distillmesh.core.distill.DistillationObjective;
import io.distillmesh.core.distill.DistillationResult;
import io.distillmesh.core.distill.DistillationSchedule;
import io.distillmesh.core.distill.DistillationScheduleOptions;
import io.distillmesh.core.distill.DistilledData;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.DistillerConfig;
import io.distillmesh.core.distill.ImageInit;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.distill.InitMode;
import io.distillmesh.core.distill.InitSampler;
import io.distillmesh.core.distill.InitSpec;
import io.distillmesh.core.distill.PoisoningObjective;
import io.distillmesh.core.distill.PretrainedPool;
import io.distillmesh.core.distill.RandomRealBaseline;
import io.distillmesh.core.distill.RealBatches;
import io.distillmesh.core.distill.ReplayEvaluator;
import io.distillmesh.core.engine.Backprop;
import io.distillmesh.core.engine.HvpSettings;
import io.distillmesh.core.engine.LearningRateSchedule;
import io.distillmesh.core.engine.StepDecay;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.train.ProgressListener;
import io.distillmesh.core.train.SupervisedTrainer;
import io.distillmesh.core.train.TimingConditions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Distils Fashion-MNIST (Wang et al. 2018) and compares the distilled set with the same number of
 * random real images trained with the best fixed step size of a small grid (chosen on held-out
 * training images). Writes the distilled set as an artifact ({@link DistilledArtifact}) and a PNG.
 */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Dataset distillation on Fashion-MNIST: learn a few images and step sizes that train a network.")
public final class DistillJob implements Callable<Integer> {
    private static final List<String> OBJECTIVES = List.of("classification", "poisoning", "adaptation",
            Condensation.DISTRIBUTION_MATCHING, Condensation.GRADIENT_MATCHING, Condensation.MMD_MATCHING);
    @Option(names = "--network", description = "mlp or lenet (default); condensation: convnet (default)")
    String network;
    @Option(names = "--hidden", split = ",", defaultValue = "128", description = "MLP hidden widths (default: ${DEFAULT-VALUE})")
    int[] hidden;
    @Mixin
    DistillationScheduleOptions scheduleOptions = new DistillationScheduleOptions(1, 10, 3);
    @Option(names = "--init", defaultValue = "fixed", description = "fixed, random, fixed-pretrained, random-pretrained (default: ${DEFAULT-VALUE})")
    String init;
    @Option(names = "--models-per-iteration", defaultValue = "1", description = "random modes: inits averaged per iteration")
    int modelsPerIteration;
    @Option(names = "--objective", defaultValue = "classification", description = "classification, poisoning, "
            + "adaptation (Wang et al.'s unrolled meta-gradient), or the condensation objectives distribution-matching "
            + "(Zhao & Bilen 2023), gradient-matching (Zhao et al. 2021) and mmd-matching (distribution matching by "
            + "a Gaussian-kernel MMD, Zhang et al. 2024): a condensed set for any network trained "
            + "by a recipe (default: ${DEFAULT-VALUE})")
    String objective;
    @Option(names = "--attack-class", defaultValue = "9", description = "poisoning: class to misclassify (default: ${DEFAULT-VALUE}, ankle boot)")
    int attackClass;
    @Option(names = "--target-class", defaultValue = "7", description = "poisoning: class to predict instead (default: ${DEFAULT-VALUE}, sneaker)")
    int targetClass;
    @Option(names = "--image-init", description = "noise or real (default: noise; condensation: real)")
    String imageInit;
    @Option(names = "--initial-step", defaultValue = "0.02", description = "initial learned step size η (default: ${DEFAULT-VALUE})")
    double initialStep;
    @Option(names = "--iterations", defaultValue = "200")
    int iterations;
    @Option(names = "--real-batch", defaultValue = "1024", description = "real images per meta-iteration (default: ${DEFAULT-VALUE})")
    int realBatch;
    @Option(names = "--lr", defaultValue = "0.01", description = "Adam learning rate, betas (0.5, 0.999) (default: ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--lr-decay", defaultValue = "0.5", description = "step decay factor (default: ${DEFAULT-VALUE})")
    double lrDecay;
    @Option(names = "--lr-decay-every", defaultValue = "0", description = "iterations between decays; 0 = constant rate")
    int lrDecayEvery;
    @Option(names = "--hvp", defaultValue = "exact", description = "exact or finite-difference: how the meta-gradient's "
            + "Hessian-vector products are taken; exact (the R-operator) needs the hand-written backprop and falls back "
            + "to finite differences without it (default: ${DEFAULT-VALUE})")
    String hvpMethod;
    @Option(names = "--hvp-epsilon", defaultValue = "1e-4", description = "ε·‖v‖ of the finite-difference Hessian-vector products (default: ${DEFAULT-VALUE})")
    double hvpEpsilon;
    @Option(names = "--kink-tolerance", defaultValue = "0.2", description = "relative disagreement of the one-sided differences that signals a ReLU/max-pool kink (default: ${DEFAULT-VALUE})")
    double kinkTolerance;
    @Option(names = "--kink-retries", defaultValue = "2", description = "times ε is divided by 8 when a kink is hit (default: ${DEFAULT-VALUE})")
    int kinkRetries;
    @Option(names = "--no-kink-guard", description = "plain central differences (as DARTS)")
    boolean noKinkGuard;
    @Option(names = "--backprop", defaultValue = "auto", description = "auto, hand-written or dl4j: which backprop "
            + "computes the gradients; auto takes the hand-written one for MLPs, and for CNNs when nd4j-native has oneDNN "
            + "(default: ${DEFAULT-VALUE})")
    String backprop;
    @Option(names = "--seed", defaultValue = "42")
    long seed;
    @Option(names = "--eval-inits", defaultValue = "5", description = "random modes: held-out inits to evaluate on (default: ${DEFAULT-VALUE})")
    int evalInits;
    @Option(names = "--baseline-steps", split = ",", defaultValue = "0.003,0.01,0.03,0.1,0.3,1",
            description = "fixed step sizes the random-real baseline may use (default: ${DEFAULT-VALUE})")
    double[] baselineSteps;
    @Option(names = "--baseline-draws", defaultValue = "3", description = "random draws of real images for the baseline (default: ${DEFAULT-VALUE})")
    int baselineDraws;
    @Option(names = "--no-baseline", description = "skip the random-real baseline (e.g. for timing runs)")
    boolean noBaseline;
    @Option(names = "--validation", defaultValue = "2000", description = "last N training images, held out to choose the"
            + " baseline step size (and the set, with --keep-best-every)")
    int validation;
    @Option(names = "--keep-best-every", defaultValue = "0", description = "every N meta-iterations score the set on the"
            + " held-out training images and ship the best-scoring one instead of the last (0: the last)")
    int keepBestEvery;
    @Option(names = "--pretrained", split = ",", description = "pretrained modes: DL4J model files of the same network")
    List<Path> pretrainedFiles;
    @Option(names = "--pretrain", defaultValue = "0", description = "pretrained modes: train this many models here instead")
    int pretrain;
    @Option(names = "--pretrain-epochs", defaultValue = "1")
    int pretrainEpochs;
    @Option(names = "--pretrain-limit", defaultValue = "10000", description = "training images for each pretrained model")
    int pretrainLimit;
    @Option(names = "--pretrain-domain", description = "same or inverted (1 - pixel); default: inverted for adaptation, else same")
    String pretrainDomain;
    @Option(names = "--width", defaultValue = "32", description = "condensation: ConvNet width (default: ${DEFAULT-VALUE}; the papers use 128)")
    int width;
    @Option(names = "--depth", defaultValue = "3", description = "condensation: ConvNet blocks (default: ${DEFAULT-VALUE})")
    int depth;
    @Option(names = "--real-per-class", defaultValue = "64", description = "condensation: real images per class per iteration (default: ${DEFAULT-VALUE})")
    int realPerClass;
    @Option(names = "--image-lr", description = "condensation: SGD learning rate of the images (default: 0.1 "
            + "for distribution-matching and mmd-matching, 0.01 for gradient-matching)")
    Double imageLr;
    @Option(names = "--image-momentum", defaultValue = "0.5", description = "condensation: SGD momentum of the images (default: ${DEFAULT-VALUE})")
    double imageMomentum;
    @Option(names = "--eval-epochs", defaultValue = "300", description = "condensation: epochs of the evaluation recipe (default: ${DEFAULT-VALUE})")
    int evalEpochs;
    @Option(names = "--augment", defaultValue = "none", description = "condensation: differentiable augmentation, "
            + "none, dsa (crop,scale,rotate,flip,cutout) or some of crop,scale,rotate,flip,cutout,noise; drawn alike "
            + "for each class's real and synthetic images, and per image in the evaluation recipe (default: ${DEFAULT-VALUE})")
    String augment;
    @Option(names = "--eval-width", description = "condensation: width of the ConvNet the set states it is to be trained "
            + "on (default: --width)")
    Integer evalWidth;
    @Option(names = "--eval-augment", description = "condensation: augmentation of the evaluation recipe only "
            + "(default: --augment)")
    String evalAugment;
    @Option(names = "--cross", split = ",", defaultValue = "lenet,mlp", description = "condensation: other networks evaluated on the set (default: ${DEFAULT-VALUE})")
    List<String> cross;
    @Option(names = "--out", description = "artifact file (default: distilled/<settings>.dmds); a .png is written next to it")
    Path out;
    @Mixin
    DataDirOption dataDir;

    @Spec
    CommandSpec command;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DistillJob()).execute(args));
    }

    /** Condensation: the settings from the command's options, checked before any data loads. */
    private Integer condense() {
        String name = network == null ? "convnet" : network.toLowerCase(Locale.ROOT);
        if (!name.equals("convnet")) {
            throw new IllegalArgumentException(objective + " condenses with the ConvNet (--network convnet), not " + name);
        }
        String start = imageInit == null ? "real" : imageInit.toLowerCase(Locale.ROOT);
        if (!start.equals("real") && !start.equals("noise")) {
            throw new IllegalArgumentException("--image-init must be noise or real, got " + imageInit);
        }
        if (depth < 1 || depth > 4) {
            throw new IllegalArgumentException("--depth must be in 1..4 (28×28 images halve at every block), got " + depth);
        }
        Condensation.requireRealPerClass(objective, realPerClass);
        int perClass = scheduleOptions.schedule(FashionMnist.NUM_CLASSES).imagesPerClass();
        Augmentation augmentation = Augmentation.parse(augment);
        evalWidth = evalWidth != null ? evalWidth : width;
        evalAugment = evalAugment != null ? evalAugment : augment;
        if (evalWidth < 1) {
            throw new IllegalArgumentException("--eval-width must be positive, got " + evalWidth);
        }
        ModelSpec convNet = ModelSpec.convNet(seed, width, depth);
        ModelSpec trainedOn = ModelSpec.convNet(seed, evalWidth, depth);
        network = name;
        imageInit = start;
        imageLr = imageLr != null ? imageLr : Condensation.defaultImageLearningRate(objective);
        CondensationSettings settings = new CondensationSettings(convNet, perClass, iterations, realPerClass, imageLr,
                imageMomentum, start.equals("real") ? CondensationSettings.ImageStart.REAL
                : CondensationSettings.ImageStart.NOISE, seed,
                TrainingRecipe.papers().withEpochs(evalEpochs).withAugmentation(Augmentation.parse(evalAugment)),
                augmentation);
        List<ModelSpec> evaluated = new ArrayList<>(List.of(trainedOn));
        for (String other : cross) {
            if (!other.isBlank()) {
                evaluated.add(ModelSpec.named(other.trim().toLowerCase(Locale.ROOT), seed, hidden));
            }
        }
        if (evalInits < 1) {
            throw new IllegalArgumentException("--eval-inits must be at least 1");
        }
        for (ModelSpec trained : evaluated) {
            RecipeTraining.requireTrainable(trained, settings.recipe());
        }
        Path artifact = out != null ? out : Path.of("distilled", String.format("%s-m%d-%s.dmcs", convNet.describe(),
                perClass, objective));
        Path dir = dataDir.dir();
        LabelledImages train = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
        LabelledImages test = FashionMnist.load(dir, FashionMnist.Split.TEST);
        new CondensationRun(console()).run(objective, train, test, settings, trainedOn, evaluated, evalInits, artifact,
                jobSpecJson());
        return 0;
    }

    /** Where the command's report goes: its command line's out, the console unless a caller sets another. */
    private PrintWriter console() {
        return command.commandLine().getOut();
    }

    @Override
    public Integer call() {
        if (!OBJECTIVES.contains(objective)) {
            throw new IllegalArgumentException("unknown objective '" + objective + "', known: " + OBJECTIVES);
        }
        if (Condensation.OBJECTIVES.contains(objective)) {
            return condense();
        }
        if (!Augmentation.parse(augment).none() || evalAugment != null || evalWidth != null) {
            throw new IllegalArgumentException("--augment, --eval-augment and --eval-width apply to "
                    + Condensation.OBJECTIVES + " only, not to " + objective);
        }
        network = network == null ? "lenet" : network;
        imageInit = imageInit == null ? "noise" : imageInit;
        InitMode mode = InitMode.parse(init);
        ImageInit images = ImageInit.parse(imageInit);
        DistillationSchedule schedule = scheduleOptions.schedule(FashionMnist.NUM_CLASSES);
        ModelSpec spec = ModelSpec.named(network.toLowerCase(Locale.ROOT), seed, hidden);
        // settings are checked before any data is loaded or model trained
        if (keepBestEvery < 0) {
            throw new IllegalArgumentException("--keep-best-every must be 0 (keep the last set) or a period, got "
                    + keepBestEvery);
        }
        LearningRateSchedule rate = lrDecayEvery > 0 ? new StepDecay(lr, lrDecay, lrDecayEvery)
                : LearningRateSchedule.constant(lr);
        HvpSettings hvp = (noKinkGuard ? HvpSettings.plain(hvpEpsilon) : new HvpSettings(hvpEpsilon, kinkTolerance, kinkRetries))
                .withMethod(HvpSettings.Method.parse(hvpMethod));
        DistillerConfig config = new DistillerConfig(iterations, rate, hvp);
        Path dir = dataDir.dir();
        LabelledImages allTrain = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
        LabelledImages test = FashionMnist.load(dir, FashionMnist.Split.TEST);
        if (validation < 100 || validation > allTrain.size() / 2) {
            throw new IllegalArgumentException("--validation must be in 100.." + allTrain.size() / 2);
        }
        LabelledImages train = allTrain.slice(0, allTrain.size() - validation, allTrain.name() + "/train");
        LabelledImages heldOut = allTrain.slice(allTrain.size() - validation, allTrain.size(),
                allTrain.name() + "/validation");

        String domain = pretrainDomain != null ? pretrainDomain : objective.equals("adaptation") ? "inverted" : "same";
        Pool pool = pretrainedPool(mode, spec, train, domain);
        InitSpec initSpec = new InitSpec(spec, mode, seed, modelsPerIteration, pool.training, "FLOAT");
        InitSampler sampler = new InitSampler(initSpec, pool.params);
        RealBatches batches = new RealBatches(train, realBatch, seed);
        DistillationObjective goal = switch (objective) {
            case "classification" -> new ClassificationObjective(batches);
            case "poisoning" -> new PoisoningObjective(batches, attackClass, targetClass);
            case "adaptation" -> new AdaptationObjective(batches, "fashion-mnist/" + domain);
            default -> throw new IllegalArgumentException("unknown objective '" + objective
                    + "', known: classification, poisoning, adaptation");
        };
        PixelStatistics stats = PixelStatistics.of(train.images());
        DistilledData data = DistilledData.initialise(schedule, ImageShape.MNIST, images, train, stats.mean(), stats.std(),
                initialStep, seed, DataType.FLOAT);

        console().printf("distilling %s for %s, %s float32 images, objective %s, %d iterations, real batch %d, "
                        + "Adam lr %s%n", schedule.describe(), initSpec.describe(), images.label(), goal.name(),
                iterations, realBatch, lrDecayEvery > 0 ? lr + " ×" + lrDecay + " every " + lrDecayEvery : String.valueOf(lr));
        DatasetDistiller distiller = new DatasetDistiller(sampler, goal, config, Backprop.parse(backprop));
        console().printf("gradients by the %s backprop, Hessian-vector products %s%n", distiller.backprop(),
                distiller.hessianVectorProducts());
        InitSampler evalInitsSampler = pool.evaluation.isEmpty() ? sampler
                : new InitSampler(initSpec.withPretrained(mode, pool.evaluation, 1), pool.params);
        int k = mode.resampled() ? (mode.pretrained() ? Math.min(evalInits, pool.evaluation.isEmpty()
                ? pool.training.size() : pool.evaluation.size()) : evalInits) : 1;
        if (k < 1) {
            throw new IllegalArgumentException("--eval-inits must be at least 1");
        }
        List<Double> seconds = new ArrayList<>();
        DistillationResult result;
        BestOnValidation best = null;
        try (ConsoleDistillationProgress bar = new ConsoleDistillationProgress("distill " + spec.describe(), iterations)) {
            DistillationListener listener = p -> {
                seconds.add(p.seconds());
                bar.onIteration(p);
            };
            if (keepBestEvery > 0) {
                // in random mode the set is chosen on other held-out inits than the ones its test accuracy is measured on
                ReplayEvaluator validationReplays = new ReplayEvaluator(evalInitsSampler, heldOut, mode == InitMode.RANDOM ? k : 0);
                best = new BestOnValidation(data, initSpec, validationReplays, k, keepBestEvery, listener);
                listener = best;
            }
            result = distiller.run(data, listener);
        }
        DistilledSet set = result.distilled();
        if (best != null) {
            set = best.best();
            console().printf("kept the set of meta-iteration %d: %.2f %% on the %d held-out training images (%s), the"
                            + " final set %.2f %% (%d checks, every %d iterations, %.1f s)%n", best.bestIteration(),
                    100 * best.bestAccuracy(), heldOut.size(), k == 1 ? "the init" : k + " inits",
                    100 * best.lastAccuracy(), best.checks(), keepBestEvery, best.seconds());
        }
        Path artifact = out != null ? out : Path.of("distilled", String.format("%s-m%d-s%d-e%d-%s-%s.dmds",
                spec.describe(), schedule.imagesPerClass(), schedule.steps(), schedule.epochs(), mode.label(), objective));
        Provenance provenance = Provenance.of("distiller (distill command)", objective, jobSpecJson());
        String sha256 = DistilledArtifact.write(set, provenance, artifact);
        Path png = artifact.resolveSibling(artifact.getFileName().toString().replaceFirst("\\.[^.]*$", "") + ".png");
        ImageGrid.write(set, png, 2);
        console().printf("wrote %s (SHA-256 %s; provenance: %s) and %s%n", artifact, sha256, provenance.describe(), png);
        printTiming(result, seconds, schedule, best == null ? 0 : best.seconds());
        console().printf("meta-loss: first %.4f, last %.4f; mean of each tenth of the run %s; learned step sizes %s%n",
                result.metaLosses()[0], result.metaLosses()[result.iterations() - 1], tenths(result.metaLosses()),
                format(set.stepSizes()));

        evaluate(set, schedule, evalInitsSampler, k, test, heldOut, train, goal, initSpec, pool);
        return 0;
    }

    private void evaluate(DistilledSet set, DistillationSchedule schedule, InitSampler inits, int k, LabelledImages test,
                          LabelledImages heldOut, LabelledImages train, DistillationObjective goal, InitSpec initSpec,
                          Pool pool) {
        ReplayEvaluator onTest = new ReplayEvaluator(inits, test);
        String which = k == 1 ? "the init" : k + " " + (pool.evaluation.isEmpty() && initSpec.mode().pretrained()
                ? "pool inits (not held out)" : "held-out inits");
        double[] untrained = onTest.untrained(k);
        double[] distilled = onTest.trained(set, k);
        console().printf("%nFashion-MNIST test accuracy (10,000 images), %s, evaluated on %s:%n", goal.name(), which);
        console().printf("  %-44s %s%n", "init, untrained", meanStd(untrained));
        console().printf("  %-44s %s%n", String.format("distilled: %d images, learned η, %d steps", schedule.totalImages(),
                schedule.totalSteps()), meanStd(distilled));
        if (goal instanceof PoisoningObjective p) {
            printPoisoning(p, inits, set, k, test);
        }
        if (noBaseline) {
            return;
        }
        RandomRealBaseline baseline = new RandomRealBaseline(schedule, train, ImageShape.MNIST, seed + 1000);
        ReplayEvaluator onValidation = new ReplayEvaluator(inits, heldOut);
        double bestStep = Double.NaN;
        double bestValidation = -1;
        StringBuilder grid = new StringBuilder();
        for (double eta : baselineSteps) {
            double[] acc = new double[baselineDraws * k];
            for (int d = 0; d < baselineDraws; d++) {
                System.arraycopy(onValidation.trained(baseline.sample(eta, d, initSpec), k), 0, acc, d * k, k);
            }
            double m = ReplayEvaluator.mean(acc);
            grid.append(String.format(" η=%s: %.2f%%", eta, 100 * m));
            if (m > bestValidation) {
                bestValidation = m;
                bestStep = eta;
            }
        }
        double[] real = new double[baselineDraws * k];
        for (int d = 0; d < baselineDraws; d++) {
            System.arraycopy(onTest.trained(baseline.sample(bestStep, d, initSpec), k), 0, real, d * k, k);
        }
        console().printf("  %-44s %s%n", String.format("random real: %d images, best fixed η=%s", schedule.totalImages(),
                bestStep), meanStd(real));
        console().printf("  (baseline η chosen on %d held-out training images, %d draws × %d inits:%s)%n",
                heldOut.size(), baselineDraws, k, grid);
    }

    private void printPoisoning(PoisoningObjective p, InitSampler inits, DistilledSet set, int k, LabelledImages test) {
        double[][] before = new double[3][k];
        double[][] after = new double[3][k];
        for (int i = 0; i < k; i++) {
            MultiLayerNetwork untrained = inits.newNetwork();
            untrained.setParams(inits.evaluation(i));
            double[] b = attack(untrained, test, p);
            double[] a = attack(new ReplayEvaluator(inits, test).trainedNetwork(set, i), test, p);
            for (int m = 0; m < 3; m++) {
                before[m][i] = b[m];
                after[m][i] = a[m];
            }
        }
        console().printf("  class %d (%s): accuracy %s before, %s after the distilled steps%n", p.attackClass(),
                FashionMnist.CLASS_NAMES.get(p.attackClass()), meanStd(before[2]), meanStd(after[2]));
        console().printf("  class %d (%s) classified as %d (%s): %s before, %s after%n",
                p.attackClass(), FashionMnist.CLASS_NAMES.get(p.attackClass()), p.targetClass(),
                FashionMnist.CLASS_NAMES.get(p.targetClass()), meanStd(before[0]), meanStd(after[0]));
        console().printf("  accuracy on the other classes: %s before, %s after%n", meanStd(before[1]), meanStd(after[1]));
    }

    /** [fraction of the attack class predicted as the target, accuracy on the other classes, on the attack class]. */
    private static double[] attack(MultiLayerNetwork net, LabelledImages test, PoisoningObjective p) {
        int hit = 0;
        int attackCorrect = 0;
        int attackCount = 0;
        int restCorrect = 0;
        int restCount = 0;
        for (int from = 0; from < test.size(); from += 1000) {
            int[] ids = new int[Math.min(1000, test.size() - from)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = from + i;
            }
            INDArray predicted = net.output(test.features(ids), false).argMax(1);
            for (int i = 0; i < ids.length; i++) {
                int label = test.labels()[ids[i]];
                int guess = predicted.getInt(i);
                if (label == p.attackClass()) {
                    attackCount++;
                    hit += guess == p.targetClass() ? 1 : 0;
                    attackCorrect += guess == label ? 1 : 0;
                } else {
                    restCount++;
                    restCorrect += guess == label ? 1 : 0;
                }
            }
        }
        return new double[]{hit / (double) attackCount, restCorrect / (double) restCount,
                attackCorrect / (double) attackCount};
    }

    private record Pool(PretrainedPool params, List<String> training, List<String> evaluation) {
    }

    private Pool pretrainedPool(InitMode mode, ModelSpec spec, LabelledImages train, String domain) {
        if (!mode.pretrained()) {
            if ((pretrainedFiles != null && !pretrainedFiles.isEmpty()) || pretrain > 0) {
                throw new IllegalArgumentException("--pretrained/--pretrain need a pretrained init mode, not " + mode.label());
            }
            return new Pool(PretrainedPool.EMPTY, List.of(), List.of());
        }
        if (pretrainedFiles != null && !pretrainedFiles.isEmpty()) {
            PretrainedPool pool = PretrainedPool.fromModelFiles(pretrainedFiles);
            return new Pool(pool, List.copyOf(pool.references()), List.of());
        }
        if (pretrain < 1) {
            throw new IllegalArgumentException("init mode " + mode.label() + " needs --pretrained FILES or --pretrain N");
        }
        if (!domain.equals("same") && !domain.equals("inverted")) {
            throw new IllegalArgumentException("unknown --pretrain-domain '" + domain + "', known: same, inverted");
        }
        LabelledImages source = train.slice(0, Math.min(pretrainLimit, train.size()), train.name() + "/pretrain");
        if (domain.equals("inverted")) {
            source = inverted(source);
        }
        int heldOut = mode.resampled() ? evalInits : 0;
        Map<String, INDArray> params = new LinkedHashMap<>();
        List<String> training = new ArrayList<>();
        List<String> evaluation = new ArrayList<>();
        for (int i = 0; i < pretrain + heldOut; i++) {
            long s = seed + 7919L * (i + 1);
            String ref = String.format("trained:%s:%s[:%d]:epochs=%d:seed=%d", spec.describe(), domain, source.size(),
                    pretrainEpochs, s);
            MultiLayerNetwork net = ModelZoo.classifier(spec.withSeed(s));
            long start = System.nanoTime();
            new SupervisedTrainer(pretrainEpochs, 128, s).fit(net, source, ProgressListener.NONE);
            console().printf("pretrained %s in %.1f s%n", ref, (System.nanoTime() - start) / 1e9);
            params.put(ref, net.params());
            (i < pretrain ? training : evaluation).add(ref);
        }
        return new Pool(new PretrainedPool(params), training, evaluation);
    }

    /** Every option of this run, by its longest name, as the job spec of the artifact's provenance. */
    private String jobSpecJson() {
        JsonObject spec = new JsonObject();
        for (CommandLine.Model.OptionSpec option : command.options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            Object value = option.getValue();
            String name = option.longestName().replaceFirst("^-+", "");
            if (value instanceof Number || value instanceof Boolean || value instanceof String) {
                spec.put(name, value);
            } else if (value instanceof int[] ints) {
                spec.put(name, new JsonArray(Arrays.stream(ints).boxed().toList()));
            } else if (value != null) {
                spec.put(name, value.toString());
            }
        }
        return spec.encode();
    }

    /** The mean of each tenth of {@code values} (fewer parts for fewer than ten values), e.g. {@code [2.31 2.10 …]}. */
    static String tenths(double[] values) {
        int parts = Math.min(10, values.length);
        StringBuilder out = new StringBuilder("[");
        for (int part = 0; part < parts; part++) {
            int from = values.length * part / parts;
            int to = values.length * (part + 1) / parts;
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += values[i];
            }
            out.append(part == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", sum / (to - from)));
        }
        return out.append(']').toString();
    }

    private void printTiming(DistillationResult r, List<Double> perIteration, DistillationSchedule schedule,
                             double checkSeconds) {
        double[] s = perIteration.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = r.iterations();
        console().printf("%.3f s per meta-iteration (mean over %d; median %.3f, min %.3f, max %.3f): inner loop %.3f, "
                        + "meta-loss gradient on the real batch %.3f, backward over the steps %.3f, rest %.3f%n",
                (r.totalSeconds() - checkSeconds) / n, n, s[s.length / 2], s[0], s[s.length - 1], r.innerSeconds() / n,
                r.metaLossSeconds() / n, r.backwardSeconds() / n,
                (r.totalSeconds() - checkSeconds - r.innerSeconds() - r.metaLossSeconds() - r.backwardSeconds()) / n);
        if (r.hvpRetried() + r.hvpOneSided() > 0) {
            console().printf("  kink guard: %d inner steps retried with a smaller ε, %d fell back to one-sided differences "
                    + "(of %d)%n", r.hvpRetried(), r.hvpOneSided(), (long) n * schedule.totalSteps() * modelsPerIteration);
        }
        console().println("  backend: " + TimingConditions.describe());
    }

    private static LabelledImages inverted(LabelledImages data) {
        return new LabelledImages(data.name() + "/inverted", data.images().inverted(), data.labels(), data.numClasses());
    }

    private static String meanStd(double[] values) {
        return values.length == 1 ? String.format("%.2f%%", 100 * values[0])
                : String.format("%.2f ± %.2f%% (n=%d)", 100 * ReplayEvaluator.mean(values),
                100 * ReplayEvaluator.std(values), values.length);
    }

    private static String format(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format("%.4g", values[i]));
        }
        return sb.append("]").toString();
    }
}
