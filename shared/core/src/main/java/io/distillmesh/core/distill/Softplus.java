package io.distillmesh.core.distill;

/**
 * softplus(ρ) = log(1 + e^ρ): how a learned step size η is kept positive while its raw value ρ is
 * optimised freely. Computed in a form that neither overflows nor loses small values.
 */
public final class Softplus {
    private Softplus() {
    }

    public static double value(double raw) {
        return Math.max(raw, 0) + Math.log1p(Math.exp(-Math.abs(raw)));
    }

    /** dη/dρ = sigmoid(ρ). */
    public static double derivative(double raw) {
        return raw >= 0 ? 1 / (1 + Math.exp(-raw)) : Math.exp(raw) / (1 + Math.exp(raw));
    }

    /** The raw value whose softplus is {@code positive}: log(e^η − 1). */
    public static double inverse(double positive) {
        if (!(positive > 0) || Double.isInfinite(positive)) {
            throw new IllegalArgumentException("softplus only takes finite positive values, got " + positive);
        }
        return positive + Math.log(-Math.expm1(-positive));
    }
}
