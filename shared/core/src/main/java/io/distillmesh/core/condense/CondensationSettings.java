package io.distillmesh.core.condense;

import io.distillmesh.core.model.ModelSpec;

/**
 * One condensation run: the network whose random inits embed the images, images per class, iterations, real
 * images per class per iteration, the images' SGD learning rate and momentum, how the images start (random real
 * images of their class, or noise with the data's mean and spread), the seed every draw derives from, and the
 * recipe the resulting set is to be trained by, and the differentiable augmentation drawn alike for the real and the
 * synthetic images of a class at every step ({@link Augmentation#NONE} for none).
 */
public record CondensationSettings(ModelSpec network, int imagesPerClass, int iterations, int realPerClass,
                                   double learningRate, double momentum, ImageStart start, long seed,
                                   TrainingRecipe recipe, Augmentation augmentation) {
    public enum ImageStart { REAL, NOISE }

    public CondensationSettings {
        if (network == null || start == null || recipe == null) {
            throw new IllegalArgumentException("network, image start and recipe are required");
        }
        augmentation = augmentation == null ? Augmentation.NONE : augmentation;
        if (imagesPerClass < 1 || iterations < 1 || realPerClass < 1) {
            throw new IllegalArgumentException("images per class, iterations and real images per class must be "
                    + "positive, got " + imagesPerClass + ", " + iterations + ", " + realPerClass);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("image learning rate must be finite and positive, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("image momentum must be in [0, 1), got " + momentum);
        }
    }

    /** Without augmentation. */
    public CondensationSettings(ModelSpec network, int imagesPerClass, int iterations, int realPerClass,
                                double learningRate, double momentum, ImageStart start, long seed,
                                TrainingRecipe recipe) {
        this(network, imagesPerClass, iterations, realPerClass, learningRate, momentum, start, seed, recipe,
                Augmentation.NONE);
    }

    /** The seed of the augmentation draws: a stream of its own, apart from the image draws and the networks. */
    long augmentationSeed() {
        return seed * 998_244_353L + 12_345L;
    }

    /** The seed of iteration {@code it}'s random network: a stream of its own, apart from the image draws. */
    long networkSeed(int it) {
        return seed * 1_000_003L + 7919L * (it + 1);
    }
}
