package io.distillmesh.core.engine;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link FlatKernels} in single precision: OpenBLAS's sgemm and loops over direct double buffers. */
final class DoubleKernels implements FlatKernels<DoubleBuffer> {
    @Override
    public DataType dataType() {
        return DataType.DOUBLE;
    }

    @Override
    public DoubleBuffer allocate(int length) {
        return ByteBuffer.allocateDirect(Double.BYTES * Math.max(1, length)).order(ByteOrder.nativeOrder())
                .asDoubleBuffer();
    }

    @Override
    public DoubleBuffer view(INDArray array) {
        FlatArrays.checkDense(array, DataType.DOUBLE);
        return array.data().asNioDouble();
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, DoubleBuffer a, int aOffset,
                     int lda, DoubleBuffer b, int bOffset, int ldb, boolean accumulate, DoubleBuffer c, int cOffset,
                     int ldc) {
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                m, n, k, 1d, a.slice(aOffset, a.capacity() - aOffset), lda, b.slice(bOffset, b.capacity() - bOffset),
                ldb, accumulate ? 1d : 0d, c.slice(cOffset, c.capacity() - cOffset), ldc);
    }

    @Override
    public void addBiasAndActivate(DoubleBuffer z, int rows, int cols, DoubleBuffer bias, int biasOffset,
                                   Nonlinearity f) {
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            switch (f) {
                case RELU -> {
                    for (int c = 0; c < cols; c++) {
                        double v = z.get(row + c) + bias.get(biasOffset + c);
                        z.put(row + c, v > 0 ? v : 0d);
                    }
                }
                case IDENTITY -> {
                    for (int c = 0; c < cols; c++) {
                        z.put(row + c, z.get(row + c) + bias.get(biasOffset + c));
                    }
                }
                default -> {
                    for (int c = 0; c < cols; c++) {
                        z.put(row + c, f.apply(z.get(row + c) + bias.get(biasOffset + c)));
                    }
                }
            }
        }
    }

    @Override
    public void multiplyByDerivative(DoubleBuffer delta, DoubleBuffer activations, int length, Nonlinearity f) {
        switch (f) {
            case IDENTITY -> {
            }
            case RELU -> {
                for (int i = 0; i < length; i++) {
                    if (!(activations.get(i) > 0)) {
                        delta.put(i, 0d);
                    }
                }
            }
            default -> {
                for (int i = 0; i < length; i++) {
                    delta.put(i, (delta.get(i) * f.derivativeAt(activations.get(i))));
                }
            }
        }
    }

    @Override
    public void columnSums(DoubleBuffer delta, int rows, int cols, DoubleBuffer out, int outOffset) {
        for (int c = 0; c < cols; c++) {
            out.put(outOffset + c, 0d);
        }
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            for (int c = 0; c < cols; c++) {
                out.put(outOffset + c, out.get(outOffset + c) + delta.get(row + c));
            }
        }
    }

    @Override
    public void dropout(DoubleBuffer values, int length, double keep, SplittableRandom random, DoubleBuffer mask) {
        double scale = (1 / keep);
        for (int i = 0; i < length; i++) {
            double m = random.nextDouble() < keep ? scale : 0d;
            mask.put(i, m);
            values.put(i, values.get(i) * m);
        }
    }

    @Override
    public void multiply(DoubleBuffer values, DoubleBuffer mask, int length) {
        for (int i = 0; i < length; i++) {
            values.put(i, values.get(i) * mask.get(i));
        }
    }

    @Override
    public void copy(DoubleBuffer from, int fromOffset, DoubleBuffer to, int toOffset, int length) {
        to.put(toOffset, from, fromOffset, length);
    }

    @Override
    public void toDoubles(DoubleBuffer from, int fromOffset, double[] to, int length) {
        for (int i = 0; i < length; i++) {
            to[i] = from.get(fromOffset + i);
        }
    }

    @Override
    public void fromDoubles(double[] from, int length, DoubleBuffer to, int toOffset) {
        for (int i = 0; i < length; i++) {
            to.put(toOffset + i, from[i]);
        }
    }

    @Override
    public void adam(DoubleBuffer params, DoubleBuffer gradient, int from, int to, DoubleBuffer state, int m,
                     double rate, double beta1, double beta2, double epsilon, int iteration) {
        double step = AdamArithmetic.stepSize(rate, beta1, beta2, epsilon, iteration);
        double b1 = beta1;
        double b2 = beta2;
        double eps = epsilon;
        int v = m + (to - from);
        for (int i = from, s = 0; i < to; i++, s++) {
            double g = gradient.get(i);
            double first = b1 * state.get(m + s) + g * (1 - b1);
            double second = b2 * state.get(v + s) + g * g * (1 - b2);
            state.put(m + s, first);
            state.put(v + s, second);
            params.put(i, params.get(i) - step * first / (Math.sqrt(second) + eps));
        }
    }

    @Override
    public void sgd(DoubleBuffer params, DoubleBuffer gradient, int from, int to, double rate) {
        double r = rate;
        for (int i = from; i < to; i++) {
            params.put(i, params.get(i) - r * gradient.get(i));
        }
    }
}
