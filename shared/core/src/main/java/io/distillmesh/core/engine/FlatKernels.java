package io.distillmesh.core.engine;

import java.nio.Buffer;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The few loops a dense network's training step needs, on direct buffers of one precision: BLAS's matrix
 * multiply and plain Java loops for the element-wise rest. One call per layer and step, so a small layer pays no
 * per-operation price. Matrices are row-major; offsets and lengths count elements.
 */
interface FlatKernels<B extends Buffer> {
    DataType dataType();

    B allocate(int length);

    /** The memory of a dense, row-major array of this precision that is not a view (no copy). */
    B view(INDArray array);

    /** c = op(a)·op(b) (+ c when accumulating), op(x) = xᵀ where asked; m×k times k×n. */
    void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, B a, int aOffset, int lda,
              B b, int bOffset, int ldb, boolean accumulate, B c, int cOffset, int ldc);

    /** z[r, :] = f(z[r, :] + bias), in place, for a {@code rows × cols} block. */
    void addBiasAndActivate(B z, int rows, int cols, B bias, int biasOffset, Nonlinearity f);

    /** delta *= f'(z), f'(z) read from the activations a = f(z). */
    void multiplyByDerivative(B delta, B activations, int length, Nonlinearity f);

    /** out[c] = Σ_r delta[r, c]. */
    void columnSums(B delta, int rows, int cols, B out, int outOffset);

    /** Inverted dropout: keeps each value with probability {@code keep} (scaled by 1/keep) and records the mask. */
    void dropout(B values, int length, double keep, SplittableRandom random, B mask);

    /** values *= mask (the mask {@link #dropout} recorded, scale included). */
    void multiply(B values, B mask, int length);

    void copy(B from, int fromOffset, B to, int toOffset, int length);

    void toDoubles(B from, int fromOffset, double[] to, int length);

    void fromDoubles(double[] from, int length, B to, int toOffset);

    /**
     * One Adam update (DL4J's arithmetic) of params[from, to) with gradient[from, to); the moments sit in
     * {@code state} at {@code m} and {@code m + (to − from)}.
     */
    void adam(B params, B gradient, int from, int to, B state, int m, double rate, double beta1, double beta2,
              double epsilon, int iteration);

    /** params −= rate · gradient on [from, to). */
    void sgd(B params, B gradient, int from, int to, double rate);
}
