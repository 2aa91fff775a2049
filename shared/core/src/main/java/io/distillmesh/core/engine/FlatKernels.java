package io.distillmesh.core.engine;

import java.nio.Buffer;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The few loops a dense network's training step needs, on direct buffers of one precision: BLAS's matrix
 * multiply, and plain Java loops for the element-wise rest (one call per layer and step, so a small layer pays no
 * per-operation price). Matrices are row-major; offsets and lengths count elements. A subclass supplies the
 * precision: its buffers, element access and gemm.
 */
abstract class FlatKernels<B extends Buffer> {
    abstract DataType dataType();

    abstract B allocate(int length);

    /** The memory of a dense, row-major array of this precision that is not a view (no copy). */
    abstract B view(INDArray array);

    /** c = op(a)·op(b) (+ c when accumulating), op(x) = xᵀ where asked; m×k times k×n. */
    abstract void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, B a, int aOffset, int lda,
                       B b, int bOffset, int ldb, boolean accumulate, B c, int cOffset, int ldc);

    abstract double get(B buffer, int i);

    abstract void put(B buffer, int i, double value);

    abstract void copy(B from, int fromOffset, B to, int toOffset, int length);

    /** z[r, :] = f(z[r, :] + bias), in place, for a {@code rows × cols} block. */
    final void addBiasAndActivate(B z, int rows, int cols, B bias, int biasOffset, Nonlinearity f) {
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            for (int c = 0; c < cols; c++) {
                double v = get(z, row + c) + get(bias, biasOffset + c);
                put(z, row + c, f == Nonlinearity.RELU ? (v > 0 ? v : 0) : f.apply(v));
            }
        }
    }

    /** delta *= f'(z), f'(z) read from the activations a = f(z). */
    final void multiplyByDerivative(B delta, B activations, int length, Nonlinearity f) {
        if (f == Nonlinearity.IDENTITY) {
            return;
        }
        for (int i = 0; i < length; i++) {
            double a = get(activations, i);
            if (f == Nonlinearity.RELU) {
                if (!(a > 0)) {
                    put(delta, i, 0);
                }
            } else {
                put(delta, i, get(delta, i) * f.derivativeAt(a));
            }
        }
    }

    /** out[c] = Σ_r delta[r, c]. */
    final void columnSums(B delta, int rows, int cols, B out, int outOffset) {
        for (int c = 0; c < cols; c++) {
            put(out, outOffset + c, 0);
        }
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            for (int c = 0; c < cols; c++) {
                put(out, outOffset + c, get(out, outOffset + c) + get(delta, row + c));
            }
        }
    }

    /** Inverted dropout: keeps each value with probability {@code keep} (scaled by 1/keep) and records the mask. */
    final void dropout(B values, int length, double keep, SplittableRandom random, B mask) {
        double scale = 1 / keep;
        for (int i = 0; i < length; i++) {
            double m = random.nextDouble() < keep ? scale : 0;
            put(mask, i, m);
            put(values, i, get(values, i) * m);
        }
    }

    /** values *= mask (the mask {@link #dropout} recorded, scale included). */
    final void multiply(B values, B mask, int length) {
        for (int i = 0; i < length; i++) {
            put(values, i, get(values, i) * get(mask, i));
        }
    }

    final void toDoubles(B from, int fromOffset, double[] to, int length) {
        for (int i = 0; i < length; i++) {
            to[i] = get(from, fromOffset + i);
        }
    }

    final void fromDoubles(double[] from, int length, B to, int toOffset) {
        for (int i = 0; i < length; i++) {
            put(to, toOffset + i, from[i]);
        }
    }

    /**
     * One Adam update with DL4J's arithmetic of params[from, to) with gradient[from, to); the moments sit in
     * {@code state} at {@code m} and {@code m + (to − from)}.
     */
    final void adam(B params, B gradient, int from, int to, B state, int m, double rate, double beta1, double beta2,
                    double epsilon, int iteration) {
        double step = AdamArithmetic.stepSize(rate, beta1, beta2, epsilon, iteration);
        int v = m + (to - from);
        for (int i = from, s = 0; i < to; i++, s++) {
            double g = get(gradient, i);
            double first = beta1 * get(state, m + s) + g * (1 - beta1);
            double second = beta2 * get(state, v + s) + g * g * (1 - beta2);
            put(state, m + s, first);
            put(state, v + s, second);
            put(params, i, get(params, i) - step * first / (Math.sqrt(second) + epsilon));
        }
    }

    /** params −= rate · gradient on [from, to). */
    final void sgd(B params, B gradient, int from, int to, double rate) {
        for (int i = from; i < to; i++) {
            put(params, i, get(params, i) - rate * get(gradient, i));
        }
    }
}
