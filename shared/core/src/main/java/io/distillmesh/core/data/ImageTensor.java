package io.distillmesh.core.data;

/** {@code count} grey-scale images of {@code rows x cols} pixels in [0,1], row-major, one image after another. */
public record ImageTensor(int count, int rows, int cols, float[] pixels) {
    public ImageTensor {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException("pixel array has " + pixels.length + " values, expected "
                    + count + "x" + rows + "x" + cols);
        }
    }

    public int pixelsPerImage() {
        return rows * cols;
    }
}
