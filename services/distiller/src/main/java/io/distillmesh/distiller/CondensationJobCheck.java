package io.distillmesh.distiller;

import io.distillmesh.core.condense.Condensation;
import io.distillmesh.core.condense.Augmentation;
import io.distillmesh.core.condense.CondensationSettings;
import io.distillmesh.core.condense.TrainingRecipe;
import io.distillmesh.core.distill.ImageInit;
import io.distillmesh.core.distill.InitMode;
import io.distillmesh.core.model.ModelSpec;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a condensation job (distribution, MMD or gradient matching) can run, and plans it: the ConvNet's width and depth, the sizes,
 * the images' optimizer, the evaluation recipe, and estimates of memory and time held against the budget, the
 * longest job and the longest wait for a cancel (asked between iterations). The time per iteration counts the
 * multiply-adds of the real images' forward passes and three passes over the synthetic images at 10 G per second,
 * what one ConvNet-32 iteration of 64 real images per class measured here (0.176 s; estimated 0.166 s).
 */
final class CondensationJobCheck {
    static final int MAX_WIDTH = 512;
    /** 28×28 images halve at each block's pooling: four blocks leave 1×1. */
    static final int MAX_DEPTH = 4;
    static final int MAX_EVAL_EPOCHS = 10_000;
    private static final double SECONDS_PER_MULTIPLY_ADD = 1e-10;
    private static final int SIDE = 28;
    private static final int FLOATS_KEPT_PER_ACTIVATION = 10;
    private static final long CHUNK_ROWS = 128;
    private static final long MIB = 1024 * 1024;

    private CondensationJobCheck() {
    }

    static DistillPlan plan(DistillJobSpec spec, long memoryBudgetBytes) {
        if (!"convnet".equals(spec.network())) {
            throw new IllegalArgumentException(spec.objective() + " condenses with the ConvNet: network must be "
                    + "convnet, got " + spec.network());
        }
        if (spec.hidden().length > 0) {
            throw new IllegalArgumentException("hidden widths apply to the mlp only; the ConvNet has width and depth");
        }
        if (!"fixed".equals(spec.init()) || !spec.pretrained().isEmpty() || spec.modelsPerIteration() != 1) {
            throw new IllegalArgumentException(spec.objective() + " draws a fresh random ConvNet each iteration: init, "
                    + "modelsPerIteration and pretrained apply to Wang's objectives only (leave them out)");
        }
        if (spec.keepBestEvery() != 0) {
            throw new IllegalArgumentException("keepBestEvery applies to Wang's objectives only: " + spec.objective()
                    + " condenses for a training recipe, not for one init (leave it out)");
        }
        DistillJobValidator.positive("width", spec.width());
        DistillJobValidator.atMost("width", spec.width(), MAX_WIDTH, "");
        DistillJobValidator.positive("evalWidth", spec.evalWidth());
        DistillJobValidator.atMost("evalWidth", spec.evalWidth(), MAX_WIDTH, "");
        DistillJobValidator.positive("depth", spec.depth());
        DistillJobValidator.atMost("depth", spec.depth(), MAX_DEPTH, " (28×28 images halve at every block)");
        DistillJobValidator.positive("imagesPerClass", spec.imagesPerClass());
        DistillJobValidator.atMost("imagesPerClass", spec.imagesPerClass(), DistillJobValidator.TRAIN_IMAGES_PER_CLASS,
                " (the training images of each class of " + spec.dataset() + ")");
        DistillJobValidator.positive("realPerClass", spec.realPerClass());
        DistillJobValidator.atMost("realPerClass", spec.realPerClass(), DistillJobValidator.TRAIN_IMAGES_PER_CLASS,
                " (the training images of each class of " + spec.dataset() + ")");
        Condensation.requireRealPerClass(spec.objective(), spec.realPerClass());
        DistillJobValidator.positive("iterations", spec.iterations());
        DistillJobValidator.atMost("iterations", spec.iterations(), DistillJobValidator.MAX_ITERATIONS, "");
        DistillJobValidator.positiveFinite("imageLearningRate", spec.imageLearningRate());
        if (!(spec.imageMomentum() >= 0 && spec.imageMomentum() < 1)) {
            throw new IllegalArgumentException("imageMomentum must be in [0, 1), got " + spec.imageMomentum());
        }
        DistillJobValidator.positive("evalEpochs", spec.evalEpochs());
        DistillJobValidator.atMost("evalEpochs", spec.evalEpochs(), MAX_EVAL_EPOCHS, "");
        ImageInit imageInit = ImageInit.parse(spec.imageInit());
        Augmentation augmentation = Augmentation.parse(spec.augmentation());
        Augmentation evalAugmentation = Augmentation.parse(spec.evalAugmentation());
        ModelSpec network = ModelSpec.convNet(spec.seed(), spec.width(), spec.depth());
        int classes = network.numClasses();
        long synthetic = (long) classes * spec.imagesPerClass();
        long bytes = 4L * spec.width() * SIDE * SIDE * FLOATS_KEPT_PER_ACTIVATION * (synthetic + CHUNK_ROWS)
                + 4L * SIDE * SIDE * classes * (spec.realPerClass() + spec.imagesPerClass());
        if (bytes > memoryBudgetBytes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%d synthetic images through %s need about "
                            + "%d MiB, more than the memory budget of %d MiB (jobs.memory-budget-mb): lower imagesPerClass "
                            + "or width", synthetic, network.describe(), bytes / MIB, memoryBudgetBytes / MIB));
        }
        double iterationSeconds = iterationSeconds(spec, classes, synthetic);
        if (iterationSeconds > JobDuration.MAX_SECONDS_BETWEEN_CANCEL_CHECKS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "each iteration of %s over %d real and %d "
                            + "synthetic images takes at least %.0f s, more than the %.0f s a cancel may wait: lower "
                            + "realPerClass, imagesPerClass or width", network.describe(), classes * spec.realPerClass(),
                    synthetic, iterationSeconds, JobDuration.MAX_SECONDS_BETWEEN_CANCEL_CHECKS));
        }
        double hours = iterationSeconds * outerLoop(spec) * spec.iterations() / 3600;
        if (hours > JobDuration.MAX_JOB_HOURS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%d iterations of %s take at least %.0f h, "
                    + "more than the %.0f h a job may take: lower iterations, realPerClass or width", spec.iterations(),
                    network.describe(), hours, JobDuration.MAX_JOB_HOURS));
        }
        CondensationSettings settings = new CondensationSettings(network, spec.imagesPerClass(), spec.iterations(),
                spec.realPerClass(), spec.imageLearningRate(), spec.imageMomentum(), imageInit == ImageInit.REAL
                ? CondensationSettings.ImageStart.REAL : CondensationSettings.ImageStart.NOISE, spec.seed(),
                TrainingRecipe.papers().withEpochs(spec.evalEpochs()).withAugmentation(evalAugmentation), augmentation);
        return new DistillPlan(spec, network, InitMode.RANDOM, imageInit, List.of(), bytes, settings);
    }

    /**
     * Distribution matching: the real images forward, the synthetic ones forward and back. Gradient matching, per
     * outer step: the real images forward and back, the synthetic ones through five passes (gradient, forward and
     * backward tangents), and between outer steps the inner steps over the synthetic set; the outer steps of the
     * paper's loops (at most 50 a init) each wait for a cancel check.
     */
    private static double iterationSeconds(DistillJobSpec spec, int classes, long synthetic) {
        double perImage = multiplyAdds(spec.width(), spec.depth()) * SECONDS_PER_MULTIPLY_ADD;
        double real = classes * (double) spec.realPerClass();
        if (!Condensation.GRADIENT_MATCHING.equals(spec.objective())) {
            return perImage * (real + 3.0 * synthetic);
        }
        return perImage * (3.0 * real + 5.0 * synthetic + 3.0 * synthetic * innerLoop(spec.imagesPerClass()));
    }

    private static int outerLoop(DistillJobSpec spec) {
        return !Condensation.GRADIENT_MATCHING.equals(spec.objective()) ? 1
                : spec.imagesPerClass() < 10 ? 1 : spec.imagesPerClass() < 50 ? 10 : 50;
    }

    private static int innerLoop(int imagesPerClass) {
        return imagesPerClass < 10 ? 1 : imagesPerClass < 50 ? 50 : 10;
    }

    /** Multiply-adds of one image's forward pass: 3×3 convolutions at 28, 14, 7, 3 pixels a side. */
    static double multiplyAdds(int width, int depth) {
        double total = 0;
        int side = SIDE;
        int in = 1;
        for (int block = 0; block < depth; block++) {
            total += (double) side * side * 9 * in * width;
            in = width;
            side /= 2;
        }
        return total;
    }
}
