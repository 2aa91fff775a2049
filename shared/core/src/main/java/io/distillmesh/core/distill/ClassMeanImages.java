package io.distillmesh.core.distill;

import io.distillmesh.core.data.LabelledImages;

/** The mean real image of each class, in every slot of that class: the same images for every replica. */
public final class ClassMeanImages extends SameImagesBaseline {
    public static final String KIND = "class-means";

    public ClassMeanImages(DistillationSchedule schedule, LabelledImages real) {
        super(KIND, pixels(schedule, real));
    }

    private static float[] pixels(DistillationSchedule schedule, LabelledImages real) {
        float[][] means = means(real);
        return BaselineSet.layOut(schedule, real.features(), (c, index) -> means[c]);
    }

    /** One mean image per class; refuses a class without images. */
    static float[][] means(LabelledImages real) {
        int f = real.features();
        double[][] sums = new double[real.numClasses()][f];
        int[] counts = new int[real.numClasses()];
        float[] image = new float[f];
        for (int i = 0; i < real.size(); i++) {
            int c = real.labels()[i];
            counts[c]++;
            real.images().copyImage(i, image, 0);
            for (int j = 0; j < f; j++) {
                sums[c][j] += image[j];
            }
        }
        float[][] means = new float[real.numClasses()][f];
        for (int c = 0; c < means.length; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException(real.name() + " has no image of class " + c + " to average");
            }
            for (int j = 0; j < f; j++) {
                means[c][j] = (float) (sums[c][j] / counts[c]);
            }
        }
        return means;
    }
}
