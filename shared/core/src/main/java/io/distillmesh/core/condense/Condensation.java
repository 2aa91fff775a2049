package io.distillmesh.core.condense;

import io.distillmesh.core.data.LabelledImages;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A dataset-condensation method, by the objective name jobs and artifacts give it. */
public interface Condensation {
    String DISTRIBUTION_MATCHING = "distribution-matching";
    String GRADIENT_MATCHING = "gradient-matching";
    List<String> OBJECTIVES = List.of(DISTRIBUTION_MATCHING, GRADIENT_MATCHING);

    /** Condenses; {@code progress} hears each iteration's loss, {@code cancelled} is asked between steps. */
    CondensedSet run(DistributionMatching.Progress progress, BooleanSupplier cancelled);

    /**
     * The method named {@code objective} on {@code train}; gradient matching with the papers' loops for the number
     * of images per class ({@link GradientMatchingSettings#papers}).
     */
    static Condensation of(String objective, LabelledImages train, CondensationSettings settings) {
        return switch (objective) {
            case DISTRIBUTION_MATCHING -> new DistributionMatching(train, settings)::run;
            case GRADIENT_MATCHING -> new GradientMatching(train, GradientMatchingSettings.papers(settings))::run;
            default -> throw new IllegalArgumentException("unknown condensation objective '" + objective + "', known: "
                    + OBJECTIVES);
        };
    }

    /**
     * The images' SGD learning rate each method was tuned with, for images in [0, 1] (the papers' 1.0 and 0.1 on
     * images normalised by the data's standard deviation, ~0.35, scale by its square).
     */
    static double defaultImageLearningRate(String objective) {
        return GRADIENT_MATCHING.equals(objective) ? 0.01 : 0.1;
    }
}
