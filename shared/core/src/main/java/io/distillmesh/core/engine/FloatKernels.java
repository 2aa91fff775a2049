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
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                m, n, k, 1f, a.slice(aOffset, a.capacity() - aOffset), lda, b.slice(bOffset, b.capacity() - bOffset),
                ldb, accumulate ? 1f : 0f, c.slice(cOffset, c.capacity() - cOffset), ldc);
    }

    @Override
    double get(FloatBuffer buffer, int i) {
        return buffer.get(i);
    }

    @Override
    void put(FloatBuffer buffer, int i, double value) {
        buffer.put(i, (float) value);
    }

    @Override
    void copy(FloatBuffer from, int fromOffset, FloatBuffer to, int toOffset, int length) {
        to.put(toOffset, from, fromOffset, length);
    }
}
