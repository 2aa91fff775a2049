package io.distillmesh.distiller;

import io.distillmesh.core.condense.Augmentation;
import io.distillmesh.core.condense.Condensation;
import io.distillmesh.core.data.DataSets;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.distill.DistillerConfig;
import io.distillmesh.core.distill.ImageInit;
import io.distillmesh.core.distill.InitMode;
import io.distillmesh.core.model.ModelSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides, before any work starts, whether a job can run: known names, sizes within their bounds, classes in
 * range, objective and init mode that fit together, pretrained model files that exist in the models directory,
 * an unrolled trajectory ({@link TrajectoryMemory}) within the memory budget, and a run ({@link JobDuration})
 * within the time a job may take, with no stretch longer than a cancel may wait. Refuses with the reason.
 */
public final class DistillJobValidator {
    static final List<String> OBJECTIVES = List.of("classification", "poisoning", "adaptation",
            Condensation.DISTRIBUTION_MATCHING, Condensation.GRADIENT_MATCHING, Condensation.MMD_MATCHING);
    /** Images in Fashion-MNIST's training split: the real batches are drawn from it. */
    static final int TRAIN_IMAGES = 60_000;
    /** Its images of each class: a distilled set has no more, and real image inits need distinct ones. */
    static final int TRAIN_IMAGES_PER_CLASS = TRAIN_IMAGES / FashionMnist.NUM_CLASSES;
    /** Each iteration's meta-loss stays on the heap until the job ends. */
    static final int MAX_ITERATIONS = DistillerConfig.MAX_ITERATIONS;
    /** A network quick to build whose sizes multiply without overflow; memory and time weigh the rest. */
    static final int MAX_HIDDEN_LAYERS = 16;
    static final int MAX_HIDDEN_WIDTH = 65_536;
    /** Held-out images a set is scored on with keepBestEvery, and the evaluation inits it is replayed from. */
    static final int MIN_VALIDATION = 100;
    static final int MAX_VALIDATION_INITS = 20;
    private static final Pattern MODEL_FILE = Pattern.compile("[A-Za-z0-9._-]{1,100}\\.zip");
    private static final long MIB = 1024 * 1024;
    private final Path modelsDir;
    private final long memoryBudgetBytes;

    public DistillJobValidator(Path modelsDir, long memoryBudgetBytes) {
        if (memoryBudgetBytes < 1) {
            throw new IllegalArgumentException("the memory budget must be positive, got " + memoryBudgetBytes);
        }
        this.modelsDir = modelsDir;
        this.memoryBudgetBytes = memoryBudgetBytes;
    }

    /** The plan to run, or an IllegalArgumentException saying why the spec cannot run. Reads the file system. */
    public DistillPlan validate(DistillJobSpec spec) {
        DataSets.requireKnown(spec.dataset());
        if (spec.condenses()) {
            return CondensationJobCheck.plan(spec, memoryBudgetBytes);
        }
        if (!Augmentation.parse(spec.augmentation()).none() || !Augmentation.parse(spec.evalAugmentation()).none()) {
            throw new IllegalArgumentException("augmentation and evalAugmentation apply to the condensation objectives "
                    + Condensation.OBJECTIVES + " only, not to " + spec.objective());
        }
        ModelSpec network = network(spec);
        positive("imagesPerClass", spec.imagesPerClass());
        atMost("imagesPerClass", spec.imagesPerClass(), TRAIN_IMAGES_PER_CLASS,
                " (the training images of each class of " + spec.dataset() + ")");
        positive("steps", spec.steps());
        positive("epochs", spec.epochs());
        positive("iterations", spec.iterations());
        atMost("iterations", spec.iterations(), MAX_ITERATIONS, "");
        if (spec.realBatch() < 1 || spec.realBatch() > TRAIN_IMAGES) {
            throw new IllegalArgumentException("realBatch must be in 1.." + TRAIN_IMAGES + " (the training images of "
                    + spec.dataset() + "), got " + spec.realBatch());
        }
        positiveFinite("initialStep", spec.initialStep());
        positiveFinite("learningRate", spec.learningRate());
        if (!(spec.lrDecay() > 0 && spec.lrDecay() <= 1)) {
            throw new IllegalArgumentException("lrDecay must be in (0, 1], got " + spec.lrDecay());
        }
        if (spec.lrDecayEvery() < 0) {
            throw new IllegalArgumentException("lrDecayEvery must be >= 0 (0: a constant rate), got " + spec.lrDecayEvery());
        }
        ImageInit imageInit = ImageInit.parse(spec.imageInit());
        InitMode mode = InitMode.parse(spec.init());
        checkInit(spec, mode);
        checkObjective(spec, mode);
        checkKeepBest(spec, mode);
        List<Path> pretrained = pretrainedFiles(spec, mode);
        checkRealImages(spec, imageInit);
        long bytes = TrajectoryMemory.bytes(network, spec.imagesPerClass(), spec.steps(), spec.epochs(), spec.realBatch(),
                spec.modelsPerIteration());
        if (bytes > memoryBudgetBytes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "S·E = %d·%d = %d unrolled steps of %s "
                            + "(%d parameters) with %d images per step and modelsPerIteration = %d need about %d MiB, more "
                            + "than the memory budget of %d MiB (jobs.memory-budget-mb): lower steps, epochs, imagesPerClass "
                            + "or modelsPerIteration",
                    spec.steps(), spec.epochs(), spec.totalSteps(), network.describe(), TrajectoryMemory.parameters(network),
                    (long) spec.imagesPerClass() * network.numClasses(), spec.modelsPerIteration(), bytes / MIB,
                    memoryBudgetBytes / MIB));
        }
        new JobDuration(spec, network).check();
        return new DistillPlan(spec, network, mode, imageInit, pretrained, bytes, null);
    }

    private static void checkRealImages(DistillJobSpec spec, ImageInit imageInit) {
        long needed = (long) spec.steps() * spec.imagesPerClass();
        if (imageInit == ImageInit.REAL && needed > TRAIN_IMAGES_PER_CLASS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "imageInit real needs steps × imagesPerClass "
                            + "= %d·%d = %d real images of each class, %s has %d of each: lower steps or imagesPerClass, "
                            + "or use imageInit noise", spec.steps(), spec.imagesPerClass(), needed, spec.dataset(),
                    TRAIN_IMAGES_PER_CLASS));
        }
        long left = heldOutPerClassLeft(spec);
        if (imageInit == ImageInit.REAL && spec.keepBestEvery() > 0 && needed > left) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "imageInit real needs steps × imagesPerClass "
                            + "= %d real images of each class, and keepBestEvery leaves about %d of each once validation = "
                            + "%d images are held out: lower steps, imagesPerClass or validation", needed, left,
                    spec.validation()));
        }
    }

    /** Images of each class left to draw from after the hold-out, with room for classes a few percent short. */
    private static long heldOutPerClassLeft(DistillJobSpec spec) {
        return (long) (0.95 * (TRAIN_IMAGES - spec.validation()) / FashionMnist.NUM_CLASSES);
    }

    /**
     * keepBestEvery's fields. validation and validationInits are checked even when keepBestEvery is 0: every record
     * echoes them, so a spec replayed from a record carries them.
     */
    private static void checkKeepBest(DistillJobSpec spec, InitMode mode) {
        if (spec.keepBestEvery() < 0) {
            throw new IllegalArgumentException("keepBestEvery must be 0 (the last set is the result) or a period in "
                    + "iterations, got " + spec.keepBestEvery());
        }
        if (spec.validation() < MIN_VALIDATION || spec.validation() > TRAIN_IMAGES / 2) {
            throw new IllegalArgumentException("validation (the training images held out to score the set on) must be "
                    + "in " + MIN_VALIDATION + ".." + TRAIN_IMAGES / 2 + ", got " + spec.validation());
        }
        int most = switch (mode) {
            case FIXED, FIXED_PRETRAINED -> 1;
            case RANDOM -> MAX_VALIDATION_INITS;
            case RANDOM_PRETRAINED -> Math.min(MAX_VALIDATION_INITS, Math.max(1, spec.pretrained().size()));
        };
        if (spec.validationInits() < 1 || spec.validationInits() > most) {
            String why = switch (mode) {
                case FIXED, FIXED_PRETRAINED -> " (init " + mode.label() + " replays its one init)";
                case RANDOM -> "";
                case RANDOM_PRETRAINED -> " (init random-pretrained replays its pretrained models, "
                        + spec.pretrained().size() + " here)";
            };
            throw new IllegalArgumentException("validationInits must be in 1.." + most + why + ", got "
                    + spec.validationInits());
        }
        if (spec.keepBestEvery() == 0) {
            return;
        }
        if ("poisoning".equals(spec.objective())) {
            throw new IllegalArgumentException("keepBestEvery keeps the set of the best held-out accuracy, which is not "
                    + "what a poisoning set is for: leave it out");
        }
        if (spec.realBatch() > TRAIN_IMAGES - spec.validation()) {
            throw new IllegalArgumentException("realBatch " + spec.realBatch() + " is more than the "
                    + (TRAIN_IMAGES - spec.validation()) + " training images left after holding out validation = "
                    + spec.validation());
        }
    }

    private static ModelSpec network(DistillJobSpec spec) {
        String name = spec.network() == null ? "" : spec.network();
        if (name.equals("lenet") && spec.hidden().length > 0) {
            throw new IllegalArgumentException("hidden widths apply to the mlp only; lenet's layers are fixed");
        }
        if (name.equals("mlp")) {
            if (spec.hidden().length > MAX_HIDDEN_LAYERS) {
                throw new IllegalArgumentException("hidden has " + spec.hidden().length + " layers, at most "
                        + MAX_HIDDEN_LAYERS);
            }
            for (int width : spec.hidden()) {
                if (width < 1) {
                    throw new IllegalArgumentException("hidden widths must be positive, got " + width);
                }
                atMost("hidden widths", width, MAX_HIDDEN_WIDTH, "");
            }
        }
        return ModelSpec.named(name, spec.seed(), spec.hidden());
    }

    private static void checkInit(DistillJobSpec spec, InitMode mode) {
        positive("modelsPerIteration", spec.modelsPerIteration());
        if (spec.modelsPerIteration() > 1 && !mode.resampled()) {
            throw new IllegalArgumentException("modelsPerIteration " + spec.modelsPerIteration() + " needs a random init "
                    + "mode (random or random-pretrained), not " + mode.label());
        }
        if (mode.pretrained() && spec.pretrained().isEmpty()) {
            throw new IllegalArgumentException("init " + mode.label() + " needs pretrained model files (pretrained)");
        }
        if (!mode.pretrained() && !spec.pretrained().isEmpty()) {
            throw new IllegalArgumentException("init " + mode.label() + " draws random inits; pretrained "
                    + spec.pretrained() + " would be ignored: use fixed-pretrained or random-pretrained");
        }
    }

    private static void checkObjective(DistillJobSpec spec, InitMode mode) {
        String objective = spec.objective() == null ? "" : spec.objective();
        if (!OBJECTIVES.contains(objective)) {
            throw new IllegalArgumentException("unknown objective '" + objective + "', known: " + OBJECTIVES);
        }
        if (objective.equals("poisoning")) {
            classInRange("attackClass", spec.attackClass());
            classInRange("targetClass", spec.targetClass());
            if (spec.attackClass() == spec.targetClass()) {
                throw new IllegalArgumentException("attackClass and targetClass must differ, both are " + spec.attackClass());
            }
        }
        if (!objective.equals("classification") && !mode.pretrained()) {
            throw new IllegalArgumentException(objective + " starts from pretrained models: use init fixed-pretrained "
                    + "or random-pretrained with pretrained model files, not " + mode.label());
        }
    }

    private List<Path> pretrainedFiles(DistillJobSpec spec, InitMode mode) {
        List<Path> files = new ArrayList<>();
        for (String name : spec.pretrained()) {
            if (name == null || !MODEL_FILE.matcher(name).matches() || name.startsWith(".")) {
                throw new IllegalArgumentException("pretrained models are named by file (like mlp-a.zip) in the models "
                        + "directory, got '" + name + "'");
            }
            Path file = modelsDir.resolve(name);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException("pretrained model file not found: " + name + " (models directory "
                        + modelsDir + ")");
            }
            files.add(file);
        }
        return mode.pretrained() ? files : List.of();
    }

    private static void classInRange(String field, int value) {
        if (value < 0 || value >= FashionMnist.NUM_CLASSES) {
            throw new IllegalArgumentException(field + " must be a class in 0.." + (FashionMnist.NUM_CLASSES - 1)
                    + ", got " + value);
        }
    }

    static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + value);
        }
    }

    static void atMost(String field, int value, int bound, String why) {
        if (value > bound) {
            throw new IllegalArgumentException(field + " must be at most " + bound + why + ", got " + value);
        }
    }

    static void positiveFinite(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be positive and finite, got " + value);
        }
    }
}
