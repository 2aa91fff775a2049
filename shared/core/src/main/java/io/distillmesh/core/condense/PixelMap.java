package io.distillmesh.core.condense;

import io.distillmesh.core.distill.ImageShape;
import java.util.Random;

/**
 * One sampled image transform y = A x + b, the same on every channel: each output pixel a bilinear mix of at most
 * four input pixels (zero outside the image), plus an additive field. Being affine in x, its gradient is exact:
 * ∂L/∂x = Aᵀ ∂L/∂y ({@link #transpose}).
 */
final class PixelMap {
    private static final int TAPS = 4;
    private final ImageShape shape;
    private final int[] source;
    private final double[] weight;
    private final double[] offset;

    private PixelMap(ImageShape shape, int[] source, double[] weight, double[] offset) {
        this.shape = shape;
        this.source = source;
        this.weight = weight;
        this.offset = offset;
    }

    static PixelMap identity(ImageShape shape) {
        return affine(shape, 1, 0, 0, 1, 0, 0);
    }

    /**
     * Output pixel at normalised coordinates (u, v) ∈ [−1, 1]² (corners at the centres of the corner pixels) reads the
     * input at (a·u + b·v + tx, c·u + d·v + ty), bilinearly.
     */
    static PixelMap affine(ImageShape shape, double a, double b, double c, double d, double tx, double ty) {
        int rows = shape.rows();
        int cols = shape.cols();
        PixelMap map = empty(shape);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double u = cols == 1 ? 0 : -1 + 2.0 * j / (cols - 1);
                double v = rows == 1 ? 0 : -1 + 2.0 * i / (rows - 1);
                double sourceCol = ((a * u + b * v + tx) + 1) * (cols - 1) / 2;
                double sourceRow = ((c * u + d * v + ty) + 1) * (rows - 1) / 2;
                map.bilinear(i * cols + j, sourceRow, sourceCol);
            }
        }
        return map;
    }

    /** Output (i, j) reads input (i + down, j + right); zero where that falls outside. */
    static PixelMap shift(ImageShape shape, int down, int right) {
        PixelMap map = empty(shape);
        for (int i = 0; i < shape.rows(); i++) {
            for (int j = 0; j < shape.cols(); j++) {
                map.tap(i * shape.cols() + j, 0, i + down, j + right, 1);
            }
        }
        return map;
    }

    /** Mirrored left to right. */
    static PixelMap flip(ImageShape shape) {
        PixelMap map = empty(shape);
        for (int i = 0; i < shape.rows(); i++) {
            for (int j = 0; j < shape.cols(); j++) {
                map.tap(i * shape.cols() + j, 0, i, shape.cols() - 1 - j, 1);
            }
        }
        return map;
    }

    /** The square of side {@code size} centred at (row, col) blacked out (clipped to the image). */
    static PixelMap cutout(ImageShape shape, int row, int col, int size) {
        PixelMap map = identity(shape);
        for (int i = Math.max(0, row - size / 2); i < Math.min(shape.rows(), row - size / 2 + size); i++) {
            for (int j = Math.max(0, col - size / 2); j < Math.min(shape.cols(), col - size / 2 + size); j++) {
                for (int t = 0; t < TAPS; t++) {
                    map.weight[(i * shape.cols() + j) * TAPS + t] = 0;
                }
            }
        }
        return map;
    }

    /** Plus Gaussian noise of standard deviation {@code std}, one field for every image the map is applied to. */
    static PixelMap noise(ImageShape shape, double std, Random rnd) {
        PixelMap map = identity(shape);
        double[] field = new double[shape.features()];
        for (int k = 0; k < field.length; k++) {
            field[k] = std * rnd.nextGaussian();
        }
        return new PixelMap(shape, map.source, map.weight, field);
    }

    /** y[to..] = A x[from..] + b for one image. */
    void apply(double[] x, int from, double[] y, int to) {
        int plane = shape.rows() * shape.cols();
        for (int ch = 0; ch < shape.channels(); ch++) {
            int in = from + ch * plane;
            int out = to + ch * plane;
            for (int p = 0; p < plane; p++) {
                double sum = offset == null ? 0 : offset[ch * plane + p];
                for (int t = p * TAPS; t < p * TAPS + TAPS; t++) {
                    sum += weight[t] * x[in + source[t]];
                }
                y[out + p] = sum;
            }
        }
    }

    /** g_x[to..] = Aᵀ g_y[from..] for one image. */
    void transpose(double[] gy, int from, double[] gx, int to) {
        int plane = shape.rows() * shape.cols();
        for (int ch = 0; ch < shape.channels(); ch++) {
            int in = from + ch * plane;
            int out = to + ch * plane;
            for (int p = 0; p < plane; p++) {
                double g = gy[in + p];
                for (int t = p * TAPS; t < p * TAPS + TAPS; t++) {
                    gx[out + source[t]] += weight[t] * g;
                }
            }
        }
    }

    private static PixelMap empty(ImageShape shape) {
        int plane = shape.rows() * shape.cols();
        return new PixelMap(shape, new int[plane * TAPS], new double[plane * TAPS], null);
    }

    private void bilinear(int pixel, double row, double col) {
        int r0 = (int) Math.floor(row);
        int c0 = (int) Math.floor(col);
        double fr = row - r0;
        double fc = col - c0;
        tap(pixel, 0, r0, c0, (1 - fr) * (1 - fc));
        tap(pixel, 1, r0, c0 + 1, (1 - fr) * fc);
        tap(pixel, 2, r0 + 1, c0, fr * (1 - fc));
        tap(pixel, 3, r0 + 1, c0 + 1, fr * fc);
    }

    private void tap(int pixel, int t, int row, int col, double w) {
        boolean inside = row >= 0 && row < shape.rows() && col >= 0 && col < shape.cols();
        source[pixel * TAPS + t] = inside ? row * shape.cols() + col : 0;
        weight[pixel * TAPS + t] = inside ? w : 0;
    }
}
