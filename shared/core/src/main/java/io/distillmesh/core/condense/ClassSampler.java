package io.distillmesh.core.condense;

import io.distillmesh.core.data.LabelledImages;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded draws of real images, class after class, and of noise images with the data's pixel mean and spread. */
final class ClassSampler {
    private final LabelledImages data;
    private final int[][] byClass;
    private final Random rnd;

    ClassSampler(LabelledImages data, long seed) {
        this.data = data;
        this.rnd = new Random(seed);
        int[] counts = new int[data.numClasses()];
        for (int label : data.labels()) {
            counts[label]++;
        }
        byClass = new int[data.numClasses()][];
        for (int c = 0; c < counts.length; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] filled = new int[counts.length];
        for (int i = 0; i < data.size(); i++) {
            int c = data.labels()[i];
            byClass[c][filled[c]++] = i;
        }
    }

    /** {@code n} distinct random images of every class (all of a class when it has fewer), class after class. */
    int[] perClass(int n) {
        int[] ids = new int[n * byClass.length];
        for (int c = 0; c < byClass.length; c++) {
            int[] pool = byClass[c];
            if (pool.length < n) {
                throw new IllegalArgumentException(data.name() + " has " + pool.length + " images of class " + c
                        + ", need " + n);
            }
            for (int k = 0; k < n; k++) {
                int j = k + rnd.nextInt(pool.length - k);
                int t = pool[k];
                pool[k] = pool[j];
                pool[j] = t;
                ids[c * n + k] = pool[k];
            }
        }
        return ids;
    }

    /** {@code n} images of Gaussian noise with the data's pixel mean and standard deviation. */
    INDArray noise(int n) {
        int features = data.features();
        double sum = 0;
        double squares = 0;
        int sample = Math.min(data.size(), 1000);
        float[] image = new float[features];
        for (int i = 0; i < sample; i++) {
            image = data.image(i);
            for (float p : image) {
                sum += p;
                squares += p * p;
            }
        }
        double count = (double) sample * features;
        double mean = sum / count;
        double std = Math.sqrt(Math.max(0, squares / count - mean * mean));
        float[] pixels = new float[n * features];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) (mean + std * rnd.nextGaussian());
        }
        return Nd4j.create(pixels, new long[]{n, features}, DataType.FLOAT);
    }
}
