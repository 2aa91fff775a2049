package io.distillmesh.core.engine;

import java.nio.Buffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The few loops a dense network's training step needs, on direct buffers of one precision: BLAS's matrix
 * multiply, and plain Java loops for the element-wise rest (one call per layer and step, so a small layer pays no
 * per-operation price). Matrices are row-major; offsets and lengths count elements. A subclass supplies the
 * precision: its buffers, bulk conversion to and from doubles, and gemm.
 */
abstract class FlatKernels<B extends Buffer> {
    /** Elements per chunk of the loops, which copy their operands to and from arrays in bulk: they stay in the cache. */
    private static final int CHUNK = 2048;
    private final double[][] scratch = new double[4][CHUNK];

    abstract DataType dataType();

    abstract B allocate(int length);

    /** The memory of a dense, row-major array of this precision that is not a view (no copy). */
    abstract B view(INDArray array);

    /** c = op(a)·op(b) (+ c when accumulating), op(x) = xᵀ where asked; m×k times k×n. */
    abstract void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, B a, int aOffset, int lda,
                       B b, int bOffset, int ldb, boolean accumulate, B c, int cOffset, int ldc);

    abstract void copy(B from, int fromOffset, B to, int toOffset, int length);

    /** to[0, length) = from[fromOffset, fromOffset + length), in bulk. */
    abstract void toDoubles(B from, int fromOffset, double[] to, int length);

    /** to[toOffset, toOffset + length) = from[0, length), in bulk. */
    abstract void fromDoubles(double[] from, int length, B to, int toOffset);

    abstract double valueAt(B x, int index);

    /** y[at, at + length) = scale·x + shift, in this precision (a run of one channel's batch normalisation). */
    abstract void scaleAndShift(B x, B y, int at, int length, double scale, double shift);

    /**
     * dx[at, at + length) = factor·(dy − offset − (x − mean)·slope), in this precision (batch normalisation's input
     * gradient over a run of one channel).
     */
    abstract void normalisationGradient(B x, B dy, B dx, int at, int length, double mean, double factor,
                                        double offset, double slope);

    /**
     * sums[0] = Σ(x − centre) and sums[1] = Σ(x − centre)², in double precision, over {@code count} runs of
     * {@code length} values, the j-th starting at {@code first + j·stride} (one channel of NCHW maps across the
     * batch: its batch statistics).
     */
    abstract void centredSums(B x, int first, int stride, int count, int length, double centre, double[] sums);

    /** sums[0] = Σ∂y and sums[1] = Σ∂y·(x − mean), in double precision, over the runs {@link #centredSums} visits. */
    abstract void gradientSums(B x, B dy, int first, int stride, int count, int length, double mean, double[] sums);

    /** z[r, :] = f(z[r, :] + bias), in place, for a {@code rows × cols} block. */
    final void addBiasAndActivate(B z, int rows, int cols, B bias, int biasOffset, Nonlinearity f) {
        double[] values = scratch[0];
        double[] b = scratch[1];
        for (int c0 = 0; c0 < cols; c0 += CHUNK) {
            int n = Math.min(CHUNK, cols - c0);
            toDoubles(bias, biasOffset + c0, b, n);
            for (int r = 0; r < rows; r++) {
                int at = r * cols + c0;
                toDoubles(z, at, values, n);
                if (f == Nonlinearity.RELU) {
                    for (int i = 0; i < n; i++) {
                        values[i] = Math.max(values[i] + b[i], 0);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        values[i] = f.apply(values[i] + b[i]);
                    }
                }
                fromDoubles(values, n, z, at);
            }
        }
    }

    /** delta *= f'(z), f'(z) read from the activations a = f(z). */
    final void multiplyByDerivative(B delta, B activations, int length, Nonlinearity f) {
        if (f == Nonlinearity.IDENTITY) {
            return;
        }
        double[] d = scratch[0];
        double[] a = scratch[1];
        for (int at = 0; at < length; at += CHUNK) {
            int n = Math.min(CHUNK, length - at);
            toDoubles(delta, at, d, n);
            toDoubles(activations, at, a, n);
            if (f == Nonlinearity.RELU) {
                for (int i = 0; i < n; i++) {
                    d[i] = a[i] > 0 ? d[i] : 0;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    d[i] *= f.derivativeAt(a[i]);
                }
            }
            fromDoubles(d, n, delta, at);
        }
    }

    /** out[c] = Σ_r delta[r, c]. */
    final void columnSums(B delta, int rows, int cols, B out, int outOffset) {
        double[] row = scratch[0];
        double[] sums = scratch[1];
        for (int c0 = 0; c0 < cols; c0 += CHUNK) {
            int n = Math.min(CHUNK, cols - c0);
            Arrays.fill(sums, 0, n, 0);
            for (int r = 0; r < rows; r++) {
                toDoubles(delta, r * cols + c0, row, n);
                for (int i = 0; i < n; i++) {
                    sums[i] += row[i];
                }
            }
            fromDoubles(sums, n, out, outOffset + c0);
        }
    }

    /** Inverted dropout: keeps each value with probability {@code keep} (scaled by 1/keep) and records the mask. */
    final void dropout(B values, int length, double keep, SplittableRandom random, B mask) {
        double scale = 1 / keep;
        double[] v = scratch[0];
        double[] m = scratch[1];
        for (int at = 0; at < length; at += CHUNK) {
            int n = Math.min(CHUNK, length - at);
            toDoubles(values, at, v, n);
            for (int i = 0; i < n; i++) {
                m[i] = random.nextDouble() < keep ? scale : 0;
                v[i] *= m[i];
            }
            fromDoubles(m, n, mask, at);
            fromDoubles(v, n, values, at);
        }
    }

    /** values *= mask (the mask {@link #dropout} recorded, scale included). */
    final void multiply(B values, B mask, int length) {
        double[] v = scratch[0];
        double[] m = scratch[1];
        for (int at = 0; at < length; at += CHUNK) {
            int n = Math.min(CHUNK, length - at);
            toDoubles(values, at, v, n);
            toDoubles(mask, at, m, n);
            for (int i = 0; i < n; i++) {
                v[i] *= m[i];
            }
            fromDoubles(v, n, values, at);
        }
    }

    /**
     * One Adam update with DL4J's arithmetic of params[from, to) with gradient[from, to); the moments sit in
     * {@code state} at {@code m} and {@code m + (to − from)}. Runs over cache-sized chunks copied in bulk, so the
     * arithmetic is a plain loop over arrays that the JIT vectorises.
     */
    void adam(B params, B gradient, int from, int to, B state, int m, double rate, double beta1, double beta2,
                    double epsilon, int iteration) {
        double step = AdamArithmetic.stepSize(rate, beta1, beta2, epsilon, iteration);
        int v = m + (to - from);
        double[] p = scratch[0];
        double[] g = scratch[1];
        double[] first = scratch[2];
        double[] second = scratch[3];
        for (int at = from; at < to; at += CHUNK) {
            int n = Math.min(CHUNK, to - at);
            int s = at - from;
            toDoubles(params, at, p, n);
            toDoubles(gradient, at, g, n);
            toDoubles(state, m + s, first, n);
            toDoubles(state, v + s, second, n);
            for (int i = 0; i < n; i++) {
                first[i] = beta1 * first[i] + g[i] * (1 - beta1);
                second[i] = beta2 * second[i] + g[i] * g[i] * (1 - beta2);
                p[i] -= step * first[i] / (Math.sqrt(second[i]) + epsilon);
            }
            fromDoubles(first, n, state, m + s);
            fromDoubles(second, n, state, v + s);
            fromDoubles(p, n, params, at);
        }
    }

    /** params −= rate · gradient on [from, to). */
    final void sgd(B params, B gradient, int from, int to, double rate) {
        addScaled(params, gradient, from, to, -rate);
    }

    /**
     * One step of SGD with Nesterov momentum as DL4J takes it: v ← μ·v − rate·g, params += −μ·v_before + (1 + μ)·v;
     * the velocity sits in {@code state} at {@code v}.
     */
    final void nesterovs(B params, B gradient, int from, int to, B state, int v, double rate, double momentum) {
        double[] p = scratch[0];
        double[] g = scratch[1];
        double[] velocity = scratch[2];
        for (int at = from; at < to; at += CHUNK) {
            int n = Math.min(CHUNK, to - at);
            int s = v + at - from;
            toDoubles(params, at, p, n);
            toDoubles(gradient, at, g, n);
            toDoubles(state, s, velocity, n);
            for (int i = 0; i < n; i++) {
                double before = velocity[i];
                velocity[i] = momentum * before - rate * g[i];
                p[i] += -momentum * before + (1 + momentum) * velocity[i];
            }
            fromDoubles(velocity, n, state, s);
            fromDoubles(p, n, params, at);
        }
    }

    /** y += a · x on [from, to). */
    final void addScaled(B y, B x, int from, int to, double a) {
        double[] ys = scratch[0];
        double[] xs = scratch[1];
        for (int at = from; at < to; at += CHUNK) {
            int n = Math.min(CHUNK, to - at);
            toDoubles(y, at, ys, n);
            toDoubles(x, at, xs, n);
            for (int i = 0; i < n; i++) {
                ys[i] += a * xs[i];
            }
            fromDoubles(ys, n, y, at);
        }
    }

    /** values *= factor on [from, to). */
    final void scale(B values, int from, int to, double factor) {
        double[] v = scratch[0];
        for (int at = from; at < to; at += CHUNK) {
            int n = Math.min(CHUNK, to - at);
            toDoubles(values, at, v, n);
            for (int i = 0; i < n; i++) {
                v[i] *= factor;
            }
            fromDoubles(v, n, values, at);
        }
    }
}
