package io.distillmesh.core.engine;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link FlatKernels} in single precision (the networks' own): OpenBLAS's sgemm on direct float buffers. */
final class FloatKernels extends FlatKernels<FloatBuffer> {
    private static final int CHUNK = 4096;
    /** Conversion scratch, per thread: {@link BatchNormPass} converts on several threads at once. */
    private final ThreadLocal<float[]> floats = ThreadLocal.withInitial(() -> new float[0]);
    private final ThreadLocal<float[]> moreFloats = ThreadLocal.withInitial(() -> new float[0]);
    private final ThreadLocal<float[]> sumLanes = ThreadLocal.withInitial(() -> new float[0]);
    private final ThreadLocal<float[]> squareLanes = ThreadLocal.withInitial(() -> new float[0]);
    private final ThreadLocal<float[][]> adamScratch = ThreadLocal.withInitial(() -> new float[4][CHUNK]);

    @Override
    DataType dataType() {
        return DataType.FLOAT;
    }

    @Override
    FloatBuffer allocate(int length) {
        return ByteBuffer.allocateDirect(Float.BYTES * Math.max(1, length)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    @Override
    FloatBuffer view(INDArray array) {
        FlatArrays.checkDense(array, DataType.FLOAT);
        return array.data().asNioFloat();
    }

    @Override
    void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, FloatBuffer a, int aOffset, int lda,
              FloatBuffer b, int bOffset, int ldb, boolean accumulate, FloatBuffer c, int cOffset, int ldc) {
        BlasThreads.forProduct(m, n, k);
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                m, n, k, 1f, a.slice(aOffset, a.capacity() - aOffset), lda, b.slice(bOffset, b.capacity() - bOffset),
                ldb, accumulate ? 1f : 0f, c.slice(cOffset, c.capacity() - cOffset), ldc);
    }

    @Override
    void copy(FloatBuffer from, int fromOffset, FloatBuffer to, int toOffset, int length) {
        to.put(toOffset, from, fromOffset, length);
    }

    @Override
    void toDoubles(FloatBuffer from, int fromOffset, double[] to, int length) {
        float[] f = floats(length);
        from.get(fromOffset, f, 0, length);
        for (int i = 0; i < length; i++) {
            to[i] = f[i];
        }
    }

    @Override
    void fromDoubles(double[] from, int length, FloatBuffer to, int toOffset) {
        float[] f = floats(length);
        for (int i = 0; i < length; i++) {
            f[i] = (float) from[i];
        }
        to.put(toOffset, f, 0, length);
    }

    private float[] floats(int length) {
        return scratch(floats, length);
    }

    private static float[] scratch(ThreadLocal<float[]> owner, int length) {
        float[] f = owner.get();
        if (f.length < length) {
            f = new float[length];
            owner.set(f);
        }
        return f;
    }

    /**
     * Accumulates the runs position by position into float arrays as long as a run (a loop the JIT vectorizes, where
     * a running scalar sum does not), each position summing one value per run, then adds the positions in double.
     */
    @Override
    void centredSums(FloatBuffer x, int first, int stride, int count, int length, double centre, double[] sums) {
        float[] v = floats(length);
        float[] sum = scratch(sumLanes, length);
        float[] squares = scratch(squareLanes, length);
        java.util.Arrays.fill(sum, 0, length, 0f);
        java.util.Arrays.fill(squares, 0, length, 0f);
        float c = (float) centre;
        for (int j = 0; j < count; j++) {
            x.get(first + j * stride, v, 0, length);
            for (int i = 0; i < length; i++) {
                float d = v[i] - c;
                sum[i] += d;
                squares[i] += d * d;
            }
        }
        sums[0] = inDouble(sum, length) + (c - centre) * count * length;
        sums[1] = inDouble(squares, length);
    }

    @Override
    void gradientSums(FloatBuffer x, FloatBuffer dy, int first, int stride, int count, int length, double mean,
                      double[] sums) {
        float[] v = floats(length);
        float[] g = scratch(moreFloats, length);
        float[] total = scratch(sumLanes, length);
        float[] weighted = scratch(squareLanes, length);
        java.util.Arrays.fill(total, 0, length, 0f);
        java.util.Arrays.fill(weighted, 0, length, 0f);
        float m = (float) mean;
        for (int j = 0; j < count; j++) {
            x.get(first + j * stride, v, 0, length);
            dy.get(first + j * stride, g, 0, length);
            for (int i = 0; i < length; i++) {
                total[i] += g[i];
                weighted[i] += g[i] * (v[i] - m);
            }
        }
        sums[0] = inDouble(total, length);
        sums[1] = inDouble(weighted, length) + (m - mean) * sums[0];
    }

    private static double inDouble(float[] values, int length) {
        double s = 0;
        for (int i = 0; i < length; i++) {
            s += values[i];
        }
        return s;
    }

    /** In single precision, so that the loop vectorizes: the result is rounded to float all the same. */
    @Override
    void scaleAndShift(FloatBuffer x, FloatBuffer y, int at, int length, double scale, double shift) {
        float[] f = floats(length);
        float s = (float) scale;
        float t = (float) shift;
        x.get(at, f, 0, length);
        for (int i = 0; i < length; i++) {
            f[i] = f[i] * s + t;
        }
        y.put(at, f, 0, length);
    }

    @Override
    void normalisationGradient(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, int at, int length, double mean,
                               double factor, double offset, double slope) {
        float[] v = floats(length);
        float[] g = scratch(moreFloats, length);
        float m = (float) mean;
        float f = (float) factor;
        float o = (float) offset;
        float k = (float) slope;
        x.get(at, v, 0, length);
        dy.get(at, g, 0, length);
        for (int i = 0; i < length; i++) {
            g[i] = f * (g[i] - o - (v[i] - m) * k);
        }
        dx.put(at, g, 0, length);
    }

    /**
     * The same update as {@link FlatKernels#adam} in single precision, as DL4J computes it on float networks; a large
     * block's chunks are split across the engine's threads.
     */
    @Override
    void adam(FloatBuffer params, FloatBuffer gradient, int from, int to, FloatBuffer state, int m, double rate,
              double beta1, double beta2, double epsilon, int iteration) {
        float step = (float) AdamArithmetic.stepSize(rate, beta1, beta2, epsilon, iteration);
        int v = m + (to - from);
        int chunks = (to - from + CHUNK - 1) / CHUNK;
        ParallelRanges.run(chunks, CHUNK, (first, last) -> adamChunks(params, gradient, from + first * CHUNK,
                Math.min(to, from + last * CHUNK), from, state, m, v, step, (float) beta1, (float) beta2,
                (float) epsilon));
    }

    private void adamChunks(FloatBuffer params, FloatBuffer gradient, int start, int end, int from, FloatBuffer state,
                            int m, int v, float step, float b1, float b2, float eps) {
        float[][] scratch = adamScratch.get();
        float[] p = scratch[0];
        float[] g = scratch[1];
        float[] first = scratch[2];
        float[] second = scratch[3];
        for (int at = start; at < end; at += CHUNK) {
            int n = Math.min(CHUNK, end - at);
            int s = at - from;
            params.get(at, p, 0, n);
            gradient.get(at, g, 0, n);
            state.get(m + s, first, 0, n);
            state.get(v + s, second, 0, n);
            for (int i = 0; i < n; i++) {
                first[i] = b1 * first[i] + g[i] * (1 - b1);
                second[i] = b2 * second[i] + g[i] * g[i] * (1 - b2);
                p[i] -= step * first[i] / ((float) Math.sqrt(second[i]) + eps);
            }
            state.put(m + s, first, 0, n);
            state.put(v + s, second, 0, n);
            params.put(at, p, 0, n);
        }
    }

    @Override
    double valueAt(FloatBuffer x, int index) {
        return x.get(index);
    }
}
