package io.distillmesh.core.distill;

import io.distillmesh.core.data.LabelledImages;
import java.util.Random;

/**
 * Wang et al.'s baseline (2018, Table 1): as many random real images as the distilled set has, laid out the same
 * way (M per class per step), trained with the same schedule but one fixed step size for every step. Draw d is a
 * fresh seeded draw (seed + d): the command line averages over draws, the evaluator gives replica d draw d.
 */
public final class RandomRealBaseline implements BaselineSet {
    public static final String KIND = "random-real";
    private final DistillationSchedule schedule;
    private final LabelledImages real;
    private final ImageShape shape;
    private final long seed;

    /** Draws of images of {@code real}; draw d is seeded with {@code seed + d}. */
    public RandomRealBaseline(DistillationSchedule schedule, LabelledImages real, ImageShape shape, long seed) {
        if (schedule == null || real == null || shape == null) {
            throw new IllegalArgumentException("schedule, real images and image shape are required");
        }
        if (real.features() != shape.features() || real.numClasses() != schedule.classes()) {
            throw new IllegalArgumentException("real images (" + real.features() + " features, " + real.numClasses()
                    + " classes) do not match " + shape + " and " + schedule.classes() + " classes");
        }
        this.schedule = schedule;
        this.real = real;
        this.shape = shape;
        this.seed = seed;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Draw {@code draw} of random real images (M per class per step, seeded with seed + draw). */
    @Override
    public float[] pixels(int draw) {
        int[] picks = RealImagePicker.balanced(real, schedule, new Random(seed + draw));
        int f = shape.features();
        float[] px = new float[picks.length * f];
        for (int i = 0; i < picks.length; i++) {
            real.images().copyImage(picks[i], px, i * f);
        }
        return px;
    }

    /** Draw {@code draw} of random real images, trained with {@code stepSize} at every step from {@code init}. */
    public DistilledSet sample(double stepSize, int draw, InitSpec init) {
        return BaselineSet.fixedStep(schedule, shape, pixels(draw), stepSize, init);
    }
}
