package io.distillmesh.distiller;

import io.distillmesh.core.data.LabelledImages;

/** Mean and standard deviation of a data set's pixels: the noise distilled images start from. */
record PixelStatistics(double mean, double std) {
    static PixelStatistics of(LabelledImages data) {
        double sum = 0;
        double squares = 0;
        float[] pixels = data.images().pixels();
        for (float p : pixels) {
            sum += p;
            squares += (double) p * p;
        }
        double mean = sum / pixels.length;
        return new PixelStatistics(mean, Math.sqrt(Math.max(0, squares / pixels.length - mean * mean)));
    }
}
