package io.distillmesh.core.condense;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.distill.KMeansCentroids;
import io.distillmesh.core.model.ModelSpec;

/**
 * What a condensed set is compared with: sets of the same size, network and recipe made of real images — random
 * real images of each class, or the per-class k-means centroids of a sample of them.
 */
public final class CondensedBaselines {
    private CondensedBaselines() {
    }

    /** {@code perClass} distinct random images of every class of {@code pool}, drawn with {@code seed}. */
    public static CondensedSet randomReal(ModelSpec network, TrainingRecipe recipe, int perClass, LabelledImages pool,
                                          long seed) {
        int[] ids = new ClassSampler(pool, seed).perClass(perClass);
        int f = pool.features();
        float[] pixels = new float[ids.length * f];
        for (int k = 0; k < ids.length; k++) {
            System.arraycopy(pool.image(ids[k]), 0, pixels, k * f, f);
        }
        return new CondensedSet(network, ImageShape.MNIST, perClass, pool.numClasses(), pixels, recipe);
    }

    /** {@code perClass} k-means centroids of every class, each of up to {@code sample} of its images. */
    public static CondensedSet kMeans(ModelSpec network, TrainingRecipe recipe, int perClass, LabelledImages pool,
                                      int sample, long seed) {
        int f = pool.features();
        float[] pixels = new float[perClass * pool.numClasses() * f];
        for (int c = 0; c < pool.numClasses(); c++) {
            float[][] centroids = KMeansCentroids.centroids(pool, c, perClass, sample, seed + c);
            for (int k = 0; k < perClass; k++) {
                System.arraycopy(centroids[k], 0, pixels, (c * perClass + k) * f, f);
            }
        }
        return new CondensedSet(network, ImageShape.MNIST, perClass, pool.numClasses(), pixels, recipe);
    }
}
