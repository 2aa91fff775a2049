package io.distillmesh.core.engine;

import java.util.Optional;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/** The hidden-layer activations the flat kernels compute; each derivative is a function of the activation's output. */
enum Nonlinearity {
    IDENTITY, RELU, TANH, SIGMOID;

    static Optional<Nonlinearity> of(IActivation activation) {
        if (activation instanceof ActivationIdentity) {
            return Optional.of(IDENTITY);
        }
        if (activation instanceof ActivationReLU && activation.equals(new ActivationReLU())) {
            return Optional.of(RELU);
        }
        if (activation instanceof ActivationTanH) {
            return Optional.of(TANH);
        }
        if (activation instanceof ActivationSigmoid) {
            return Optional.of(SIGMOID);
        }
        return Optional.empty();
    }

    double apply(double z) {
        return switch (this) {
            case IDENTITY -> z;
            case RELU -> z > 0 ? z : 0;
            case TANH -> Math.tanh(z);
            case SIGMOID -> 1 / (1 + Math.exp(-z));
        };
    }

    /** f'(z) written with a = f(z). */
    double derivativeAt(double a) {
        return switch (this) {
            case IDENTITY -> 1;
            case RELU -> a > 0 ? 1 : 0;
            case TANH -> 1 - a * a;
            case SIGMOID -> a * (1 - a);
        };
    }
}
