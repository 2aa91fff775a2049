package io.distillmesh.core.condense;

import io.distillmesh.core.data.LabelledImages;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A dataset-condensation method, by the objective name jobs and artifacts give it. */
public interface Condensation {
    String DISTRIBUTION_MATCHING = "distribution-matching";
    String GRADIENT_MATCHING = "gradient-matching";
    /** Distribution matching by the Gaussian-kernel MMD of the embeddings (M3D) instead of their means. */
    String MMD_MATCHING = "mmd-matching";
    List<String> OBJECTIVES = List.of(DISTRIBUTION_MATCHING, GRADIENT_MATCHING, MMD_MATCHING);

    /** Condenses; {@code progress} hears each iteration's loss, {@code cancelled} is asked between steps. */
    CondensedSet run(DistributionMatching.Progress progress, BooleanSupplier cancelled);

    /**
     * The method named {@code objective} on {@code train}; gradient matching with the papers' loops for the number
     * of images per class ({@link GradientMatchingSettings#papers}).
     */
    static Condensation of(String objective, LabelledImages train, CondensationSettings settings) {
        requireRealPerClass(objective, settings.realPerClass());
        return switch (objective) {
            case DISTRIBUTION_MATCHING -> new DistributionMatching(train, settings)::run;
            case GRADIENT_MATCHING -> new GradientMatching(train, GradientMatchingSettings.papers(settings))::run;
            case MMD_MATCHING -> new DistributionMatching(train, settings, new GaussianMmd())::run;
            default -> throw new IllegalArgumentException("unknown condensation objective '" + objective + "', known: "
                    + OBJECTIVES);
        };
    }

    /** Refuses too few real images a class for the objective: the MMD's bandwidth is a median between two or more. */
    static void requireRealPerClass(String objective, int realPerClass) {
        if (MMD_MATCHING.equals(objective) && realPerClass < 2) {
            throw new IllegalArgumentException("realPerClass must be at least 2 for " + MMD_MATCHING + " (its kernel's "
                    + "bandwidth is the median distance between a class's real images), got " + realPerClass);
        }
    }

    /**
     * The images' SGD learning rate each method was tuned with, for images in [0, 1] (the papers' 1.0 and 0.1 on
     * images normalised by the data's standard deviation, ~0.35, scale by its square).
     */
    static double defaultImageLearningRate(String objective) {
        return GRADIENT_MATCHING.equals(objective) ? 0.01 : 0.1;
    }
}
