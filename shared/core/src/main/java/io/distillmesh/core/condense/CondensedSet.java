package io.distillmesh.core.condense;

import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.model.ModelSpec;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A condensed data set: {@code imagesPerClass} images of each class (float32, class after class), the network and
 * the recipe by which a fresh network must be trained on it to use (and evaluate) it; the network is the one it was
 * condensed with unless the job named another ({@link #withNetwork}).
 * Unlike a set of Wang et al.'s, it carries no learned step sizes: any network trains on it by the recipe.
 */
public record CondensedSet(ModelSpec network, ImageShape shape, int imagesPerClass, int classes, float[] pixels,
                           TrainingRecipe recipe) {
    public CondensedSet {
        if (network == null || shape == null || pixels == null || recipe == null) {
            throw new IllegalArgumentException("network, shape, pixels and recipe are all required");
        }
        if (imagesPerClass < 1 || classes < 2) {
            throw new IllegalArgumentException("need at least one image per class and two classes, got "
                    + imagesPerClass + " and " + classes);
        }
        long expected = (long) imagesPerClass * classes * shape.features();
        if (pixels.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " pixels (" + classes + " classes × "
                    + imagesPerClass + " images of " + shape + "), got " + pixels.length);
        }
        for (float p : pixels) {
            if (!Float.isFinite(p)) {
                throw new IllegalArgumentException("pixels must be finite, found " + p);
            }
        }
    }

    /** The same images, to be trained on by {@code trainedOn} instead. */
    public CondensedSet withNetwork(ModelSpec trainedOn) {
        return new CondensedSet(trainedOn, shape, imagesPerClass, classes, pixels, recipe);
    }

    public int size() {
        return imagesPerClass * classes;
    }

    /** [images, features], class after class. */
    public INDArray features() {
        return Nd4j.create(pixels.clone(), new long[]{size(), shape.features()}, DataType.FLOAT);
    }

    /** One-hot labels of {@link #features()}: row r has class r / imagesPerClass. */
    public INDArray labels() {
        return classBlocks(classes, imagesPerClass);
    }

    /** One-hot labels of {@code perClass} rows of every class, class after class. */
    static INDArray classBlocks(int classes, int perClass) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, (long) classes * perClass, classes);
        for (int r = 0; r < classes * perClass; r++) {
            y.putScalar(r, r / perClass, 1);
        }
        return y;
    }

    /** The {@code perClass} rows of class {@code c} of {@code a}, laid out class after class (a view). */
    static INDArray classRows(INDArray a, int c, int perClass) {
        return a.get(NDArrayIndex.interval((long) c * perClass, (long) (c + 1) * perClass), NDArrayIndex.all());
    }

    /** Image {@code index} of class {@code classId}. */
    public float[] image(int classId, int index) {
        int f = shape.features();
        int from = (classId * imagesPerClass + index) * f;
        return Arrays.copyOfRange(pixels, from, from + f);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CondensedSet c && c.network.equals(network) && c.shape.equals(shape)
                && c.imagesPerClass == imagesPerClass && c.classes == classes && Arrays.equals(c.pixels, pixels)
                && c.recipe.equals(recipe);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pixels) * 31 + imagesPerClass;
    }

    @Override
    public String toString() {
        return "CondensedSet[" + imagesPerClass + " per class × " + classes + ", " + shape + ", with "
                + network.describe() + ", " + recipe.describe() + "]";
    }
}
