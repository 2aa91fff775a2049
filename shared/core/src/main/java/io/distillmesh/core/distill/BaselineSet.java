package io.distillmesh.core.distill;

import java.util.Arrays;

/**
 * Real-image stand-ins for a distilled set (the baselines users compare it with): as many images as the set has,
 * laid out the same way (row r of every batch has class r / M), trained with the set's schedule but one fixed
 * step size for every step.
 */
public interface BaselineSet {

    /** The baseline's name on the board and in metrics: {@code random-real}, {@code class-means}, {@code k-means}. */
    String kind();

    /** The images replica {@code replica} trains on, laid out like the distilled set's pixels. */
    float[] pixels(int replica);

    /** Replica {@code replica}'s images as a set with the template's schedule and init and step size {@code step}. */
    default DistilledSet withStep(DistilledSet template, int replica, double step) {
        return fixedStep(template.schedule(), template.shape(), pixels(replica), step, template.init());
    }

    /** {@code pixels} as a set trained with step size {@code step} at every step of {@code schedule}. */
    static DistilledSet fixedStep(DistillationSchedule schedule, ImageShape shape, float[] pixels, double step,
                                  InitSpec init) {
        double[] steps = new double[schedule.totalSteps()];
        Arrays.fill(steps, step);
        return new DistilledSet(schedule, shape, pixels, steps, init);
    }

    /** Image {@code index} (0..S·M−1) of class c for every slot: slot (step s, image m) of class c gets index s·M+m. */
    @FunctionalInterface
    interface ClassImages {
        float[] image(int classId, int index);
    }

    static float[] layOut(DistillationSchedule schedule, int features, ClassImages images) {
        int m = schedule.imagesPerClass();
        float[] out = new float[schedule.totalImages() * features];
        for (int s = 0; s < schedule.steps(); s++) {
            for (int c = 0; c < schedule.classes(); c++) {
                for (int i = 0; i < m; i++) {
                    int row = s * schedule.batchSize() + c * m + i;
                    System.arraycopy(images.image(c, s * m + i), 0, out, row * features, features);
                }
            }
        }
        return out;
    }
}
