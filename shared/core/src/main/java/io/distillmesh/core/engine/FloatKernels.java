package io.distillmesh.core.engine;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link FlatKernels} in single precision: OpenBLAS's sgemm and loops over direct float buffers. */
final class FloatKernels implements FlatKernels<FloatBuffer> {
    @Override
    public DataType dataType() {
        return DataType.FLOAT;
    }

    @Override
    public FloatBuffer allocate(int length) {
        return ByteBuffer.allocateDirect(Float.BYTES * Math.max(1, length)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    @Override
    public FloatBuffer view(INDArray array) {
        FlatArrays.checkDense(array, DataType.FLOAT);
        return array.data().asNioFloat();
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, FloatBuffer a, int aOffset,
                     int lda, FloatBuffer b, int bOffset, int ldb, boolean accumulate, FloatBuffer c, int cOffset,
                     int ldc) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                m, n, k, 1f, a.slice(aOffset, a.capacity() - aOffset), lda, b.slice(bOffset, b.capacity() - bOffset),
                ldb, accumulate ? 1f : 0f, c.slice(cOffset, c.capacity() - cOffset), ldc);
    }

    @Override
    public void addBiasAndActivate(FloatBuffer z, int rows, int cols, FloatBuffer bias, int biasOffset,
                                   Nonlinearity f) {
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            switch (f) {
                case RELU -> {
                    for (int c = 0; c < cols; c++) {
                        float v = z.get(row + c) + bias.get(biasOffset + c);
                        z.put(row + c, v > 0 ? v : 0f);
                    }
                }
                case IDENTITY -> {
                    for (int c = 0; c < cols; c++) {
                        z.put(row + c, z.get(row + c) + bias.get(biasOffset + c));
                    }
                }
                default -> {
                    for (int c = 0; c < cols; c++) {
                        z.put(row + c, (float) f.apply(z.get(row + c) + bias.get(biasOffset + c)));
                    }
                }
            }
        }
    }

    @Override
    public void multiplyByDerivative(FloatBuffer delta, FloatBuffer activations, int length, Nonlinearity f) {
        switch (f) {
            case IDENTITY -> {
            }
            case RELU -> {
                for (int i = 0; i < length; i++) {
                    if (!(activations.get(i) > 0)) {
                        delta.put(i, 0f);
                    }
                }
            }
            default -> {
                for (int i = 0; i < length; i++) {
                    delta.put(i, (float) (delta.get(i) * f.derivativeAt(activations.get(i))));
                }
            }
        }
    }

    @Override
    public void columnSums(FloatBuffer delta, int rows, int cols, FloatBuffer out, int outOffset) {
        for (int c = 0; c < cols; c++) {
            out.put(outOffset + c, 0f);
        }
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            for (int c = 0; c < cols; c++) {
                out.put(outOffset + c, out.get(outOffset + c) + delta.get(row + c));
            }
        }
    }

    @Override
    public void dropout(FloatBuffer values, int length, double keep, SplittableRandom random, FloatBuffer mask) {
        float scale = (float) (1 / keep);
        for (int i = 0; i < length; i++) {
            float m = random.nextDouble() < keep ? scale : 0f;
            mask.put(i, m);
            values.put(i, values.get(i) * m);
        }
    }

    @Override
    public void multiply(FloatBuffer values, FloatBuffer mask, int length) {
        for (int i = 0; i < length; i++) {
            values.put(i, values.get(i) * mask.get(i));
        }
    }

    @Override
    public void copy(FloatBuffer from, int fromOffset, FloatBuffer to, int toOffset, int length) {
        to.put(toOffset, from, fromOffset, length);
    }

    @Override
    public void toDoubles(FloatBuffer from, int fromOffset, double[] to, int length) {
        for (int i = 0; i < length; i++) {
            to[i] = from.get(fromOffset + i);
        }
    }

    @Override
    public void fromDoubles(double[] from, int length, FloatBuffer to, int toOffset) {
        for (int i = 0; i < length; i++) {
            to.put(toOffset + i, (float) from[i]);
        }
    }

    @Override
    public void adam(FloatBuffer params, FloatBuffer gradient, int from, int to, FloatBuffer state, int m,
                     double rate, double beta1, double beta2, double epsilon, int iteration) {
        float step = (float) AdamArithmetic.stepSize(rate, beta1, beta2, epsilon, iteration);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float eps = (float) epsilon;
        int v = m + (to - from);
        for (int i = from, s = 0; i < to; i++, s++) {
            float g = gradient.get(i);
            float first = b1 * state.get(m + s) + g * (1 - b1);
            float second = b2 * state.get(v + s) + g * g * (1 - b2);
            state.put(m + s, first);
            state.put(v + s, second);
            params.put(i, params.get(i) - step * first / ((float) Math.sqrt(second) + eps));
        }
    }

    @Override
    public void sgd(FloatBuffer params, FloatBuffer gradient, int from, int to, double rate) {
        float r = (float) rate;
        for (int i = from; i < to; i++) {
            params.put(i, params.get(i) - r * gradient.get(i));
        }
    }
}
