package io.distillmesh.core.data;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One split of an image-classification data set: images (flattened) and their class labels. */
public record LabelledImages(String name, ImageTensor images, int[] labels, int numClasses) {
    public LabelledImages {
        if (images.count() != labels.length) {
            throw new IllegalArgumentException(name + ": " + images.count() + " images but " + labels.length + " labels");
        }
    }

    public int size() {
        return labels.length;
    }

    public int features() {
        return images.pixelsPerImage();
    }

    /** The first {@code n} samples. */
    public LabelledImages head(int n) {
        int k = Math.min(n, size());
        return slice(0, k, name + "[:" + k + "]");
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive), named {@code sliceName}. */
    public LabelledImages slice(int from, int to, String sliceName) {
        return new LabelledImages(sliceName, images.slice(from, to), Arrays.copyOfRange(labels, from, to), numClasses);
    }

    /** Rows {@code ids} as a float [n, features] matrix. */
    public INDArray features(int[] ids) {
        int f = features();
        float[] out = new float[ids.length * f];
        for (int i = 0; i < ids.length; i++) {
            images.copyImage(ids[i], out, i * f);
        }
        return FloatArrays.of(out, ids.length, f);
    }

    /** One-hot labels of rows {@code ids} as [n, numClasses]. */
    public INDArray oneHot(int[] ids) {
        float[] out = new float[ids.length * numClasses];
        for (int i = 0; i < ids.length; i++) {
            out[i * numClasses + labels[ids[i]]] = 1f;
        }
        return FloatArrays.of(out, ids.length, numClasses);
    }

    /** Sample {@code id}'s grey levels 0–255, as read from its file (a copy): {@link #image} is them divided by 255. */
    public byte[] greyLevels(int id) {
        return images.greyLevelsOf(id);
    }

    public float[] image(int id) {
        float[] out = new float[features()];
        images.copyImage(id, out, 0);
        return out;
    }
}
