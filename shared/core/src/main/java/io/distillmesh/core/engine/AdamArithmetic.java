package io.distillmesh.core.engine;

/** DL4J's Adam step size: rate·√(1 − β₂ᵗ)/(1 − β₁ᵗ) at t = iteration + 1, ε where that is not finite or 0. */
final class AdamArithmetic {
    private AdamArithmetic() {
    }

    static double stepSize(double rate, double beta1, double beta2, double epsilon, int iteration) {
        double t = iteration + 1.0;
        double step = rate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        return Double.isFinite(step) && step != 0 ? step : epsilon;
    }
}
