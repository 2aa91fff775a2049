package io.distillmesh.core.distill;

import io.distillmesh.core.data.ImageTensor;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.DistillationSchedule;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.distill.InitSpec;
import io.distillmesh.core.model.ModelSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The class-mean and k-means baselines on small hand-made data whose answers are known. */
class BaselineSetsTest {
    /**
     * 2 classes of 2×2 images in grey levels that are exact in [0, 1] (51 = 0.2, 204 = 0.8, 153 = 0.6); class 0 has a
     * cluster of three near 0 and one of two near 1, class 1 is constant 0.6.
     */
    private static final int[][] IMAGES = {
            {0, 0, 0, 51}, {0, 51, 0, 0}, {51, 0, 0, 0}, {255, 255, 204, 255}, {255, 255, 255, 204},
            {153, 153, 153, 153}, {153, 153, 153, 153}};
    private static final int[] LABELS = {0, 0, 0, 0, 0, 1, 1};
    /** 1 image per class per step, 2 steps: class c's slots are (step 0, row c) and (step 1, row c). */
    private static final DistillationSchedule SCHEDULE = new DistillationSchedule(1, 2, 1, 2);

    private static LabelledImages data() {
        byte[] levels = new byte[IMAGES.length * 4];
        for (int i = 0; i < IMAGES.length; i++) {
            for (int j = 0; j < 4; j++) {
                levels[i * 4 + j] = (byte) IMAGES[i][j];
            }
        }
        return new LabelledImages("tiny", new ImageTensor(IMAGES.length, 2, 2, levels), LABELS, 2);
    }

    @Test
    void classMeansFillEverySlotOfAClassWithThatClassMean() {
        float[] px = new ClassMeanImages(SCHEDULE, data()).pixels(0);
        float[] mean0 = {0.44f, 0.44f, 0.36f, 0.4f};
        float[] mean1 = {0.6f, 0.6f, 0.6f, 0.6f};
        assertArrayEquals(mean0, slot(px, 0, 0), 1e-6f);
        assertArrayEquals(mean1, slot(px, 0, 1), 1e-6f);
        assertArrayEquals(mean0, slot(px, 1, 0), 1e-6f);
        assertArrayEquals(mean1, slot(px, 1, 1), 1e-6f);
    }

    @Test
    void classMeansRefuseAClassWithoutImages() {
        LabelledImages one = new LabelledImages("one", new ImageTensor(1, 2, 2, new byte[4]), new int[]{0}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassMeanImages.means(one));
        assertEquals("one has no image of class 1 to average", e.getMessage());
    }

    @Test
    void kMeansFindsEachClustersMeanLargestClusterFirst() {
        float[] px = new KMeansCentroids(SCHEDULE, data(), 100, 3).pixels(0);
        float third = 0.2f / 3;
        assertArrayEquals(new float[]{third, third, 0f, third}, slot(px, 0, 0), 1e-6f);
        assertArrayEquals(new float[]{1f, 1f, 0.9f, 0.9f}, slot(px, 1, 0), 1e-6f);
        assertArrayEquals(new float[]{0.6f, 0.6f, 0.6f, 0.6f}, slot(px, 0, 1), 1e-6f);
        assertArrayEquals(px, new KMeansCentroids(SCHEDULE, data(), 100, 3).pixels(5), "seeded: the same every time");
    }

    @Test
    void kMeansNeedsAtLeastKImagesOfEveryClass() {
        DistillationSchedule threeSteps = new DistillationSchedule(1, 3, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KMeansCentroids(threeSteps, data(), 100, 3));
        assertEquals("tiny has 2 images of class 1, k-means needs at least k = 3", e.getMessage());
    }

    @Test
    void aBaselineKeepsTheTemplatesScheduleAndInitWithOneFixedStep() {
        DistilledSet template = new DistilledSet(SCHEDULE, new ImageShape(1, 2, 2), new float[16],
                new double[]{0.5, 0.7}, InitSpec.fixed(new ModelSpec(ModelSpec.Architecture.MLP, new int[]{3},
                new int[0], 0, 1e-3, 1, 2), 1));
        DistilledSet baseline = new ClassMeanImages(SCHEDULE, data()).withStep(template, 0, 0.03);
        assertArrayEquals(new double[]{0.03, 0.03}, baseline.stepSizes());
        assertEquals(template.schedule(), baseline.schedule());
        assertEquals(template.init(), baseline.init());
        assertFalse(Arrays.equals(template.pixels(), baseline.pixels()));
        assertTrue(baseline.pixels().length == template.pixels().length);
    }

    /** The image in batch {@code step}, row {@code row} (4 features). */
    private static float[] slot(float[] px, int step, int row) {
        int from = (step * SCHEDULE.batchSize() + row) * 4;
        return Arrays.copyOfRange(px, from, from + 4);
    }
}
