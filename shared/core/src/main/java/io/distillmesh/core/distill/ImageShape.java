package io.distillmesh.core.distill;

/** The shape of one image: channels × rows × cols, stored flat in that order (as the networks read it). */
public record ImageShape(int channels, int rows, int cols) {
    public static final ImageShape MNIST = new ImageShape(1, 28, 28);

    public ImageShape {
        if (channels < 1 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + rows + "x" + cols);
        }
        if ((long) channels * rows * cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image too large: " + channels + "x" + rows + "x" + cols);
        }
    }

    public int features() {
        return channels * rows * cols;
    }

    @Override
    public String toString() {
        return channels + "x" + rows + "x" + cols;
    }
}
