package io.distillmesh.core.distill;

import io.distillmesh.core.data.LabelledImages;
import java.util.Arrays;
import java.util.Random;

/**
 * The baseline a distilled set is compared with (Wang et al. 2018, Table 1): as many random real
 * images as the distilled set has, laid out the same way (M per class per step), trained with the same
 * schedule but one fixed step size for every step.
 */
public final class RandomRealBaseline {
    private final DistillationSchedule schedule;
    private final LabelledImages real;
    private final ImageShape shape;

    public RandomRealBaseline(DistillationSchedule schedule, LabelledImages real, ImageShape shape) {
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
    }

    /** Draw {@code seed} of random real images, trained with {@code stepSize} at every step. */
    public DistilledSet sample(double stepSize, long seed, InitSpec init) {
        int[] picks = RealImagePicker.balanced(real, schedule, new Random(seed));
        int f = shape.features();
        float[] px = new float[picks.length * f];
        for (int i = 0; i < picks.length; i++) {
            real.images().copyImage(picks[i], px, i * f);
        }
        double[] steps = new double[schedule.totalSteps()];
        Arrays.fill(steps, stepSize);
        return new DistilledSet(schedule, shape, px, steps, init);
    }
}
