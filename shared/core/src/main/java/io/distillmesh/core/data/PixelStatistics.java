package io.distillmesh.core.data;

/** Mean and standard deviation of all pixel values (in [0, 1]) of a set of images. */
public record PixelStatistics(double mean, double std) {
    public static PixelStatistics of(ImageTensor images) {
        long[] histogram = new long[256];
        for (byte g : images.greyLevels()) {
            histogram[g & 0xFF]++;
        }
        double sum = 0;
        double squares = 0;
        for (int g = 0; g < histogram.length; g++) {
            double v = g / 255.0;
            sum += histogram[g] * v;
            squares += histogram[g] * v * v;
        }
        double n = images.pixelCount();
        double mean = sum / n;
        return new PixelStatistics(mean, Math.sqrt(Math.max(0, squares / n - mean * mean)));
    }
}
