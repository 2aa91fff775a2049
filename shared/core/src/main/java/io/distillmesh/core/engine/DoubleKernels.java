package io.distillmesh.core.engine;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link FlatKernels} in double precision (networks built in double, the gradient checks): OpenBLAS's dgemm. */
final class DoubleKernels extends FlatKernels<DoubleBuffer> {
    @Override
    DataType dataType() {
        return DataType.DOUBLE;
    }

    @Override
    DoubleBuffer allocate(int length) {
        return ByteBuffer.allocateDirect(Double.BYTES * Math.max(1, length)).order(ByteOrder.nativeOrder())
                .asDoubleBuffer();
    }

    @Override
    DoubleBuffer view(INDArray array) {
        FlatArrays.checkDense(array, DataType.DOUBLE);
        return array.data().asNioDouble();
    }

    @Override
    void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, DoubleBuffer a, int aOffset, int lda,
              DoubleBuffer b, int bOffset, int ldb, boolean accumulate, DoubleBuffer c, int cOffset, int ldc) {
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                m, n, k, 1, a.slice(aOffset, a.capacity() - aOffset), lda, b.slice(bOffset, b.capacity() - bOffset),
                ldb, accumulate ? 1 : 0, c.slice(cOffset, c.capacity() - cOffset), ldc);
    }

    @Override
    void copy(DoubleBuffer from, int fromOffset, DoubleBuffer to, int toOffset, int length) {
        to.put(toOffset, from, fromOffset, length);
    }

    @Override
    void toDoubles(DoubleBuffer from, int fromOffset, double[] to, int length) {
        from.get(fromOffset, to, 0, length);
    }

    @Override
    void fromDoubles(double[] from, int length, DoubleBuffer to, int toOffset) {
        to.put(toOffset, from, 0, length);
    }

    @Override
    void scaleAndShift(DoubleBuffer x, DoubleBuffer y, int at, int length, double scale, double shift) {
        for (int i = at; i < at + length; i++) {
            y.put(i, x.get(i) * scale + shift);
        }
    }

    @Override
    void normalisationGradient(DoubleBuffer x, DoubleBuffer dy, DoubleBuffer dx, int at, int length, double mean,
                               double factor, double offset, double slope) {
        for (int i = at; i < at + length; i++) {
            dx.put(i, factor * (dy.get(i) - offset - (x.get(i) - mean) * slope));
        }
    }

    /** Each run's sums, then the runs' sums added. */
    @Override
    void centredSums(DoubleBuffer x, int first, int stride, int count, int length, double centre, double[] sums) {
        sums[0] = 0;
        sums[1] = 0;
        for (int j = 0; j < count; j++) {
            int at = first + j * stride;
            double s = 0;
            double q = 0;
            for (int i = at; i < at + length; i++) {
                double d = x.get(i) - centre;
                s += d;
                q += d * d;
            }
            sums[0] += s;
            sums[1] += q;
        }
    }

    @Override
    void gradientSums(DoubleBuffer x, DoubleBuffer dy, int first, int stride, int count, int length, double mean,
                      double[] sums) {
        sums[0] = 0;
        sums[1] = 0;
        for (int j = 0; j < count; j++) {
            int at = first + j * stride;
            double total = 0;
            double weighted = 0;
            for (int i = at; i < at + length; i++) {
                total += dy.get(i);
                weighted += dy.get(i) * (x.get(i) - mean);
            }
            sums[0] += total;
            sums[1] += weighted;
        }
    }

    @Override
    double valueAt(DoubleBuffer x, int index) {
        return x.get(index);
    }
}
