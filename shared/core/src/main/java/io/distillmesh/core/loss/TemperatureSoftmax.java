package io.distillmesh.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * softmax(z/T) row by row, computed stably (the row maximum is subtracted before exp), and
 * re-tempering: from log-probabilities at T, the distribution at any T' exactly, because
 * log softmax(z/T) = z/T − c, so softmax(T·log p / T') = softmax(z/T').
 */
public final class TemperatureSoftmax {
    private TemperatureSoftmax() {
    }

    public static INDArray softmax(INDArray logits, double temperature) {
        return Transforms.exp(logSoftmax(logits, temperature), false);
    }

    public static INDArray logSoftmax(INDArray logits, double temperature) {
        requirePositive(temperature);
        INDArray scaled = logits.div(temperature);
        INDArray shifted = scaled.subiColumnVector(scaled.max(1).reshape(scaled.rows(), 1));
        INDArray lse = Transforms.log(Transforms.exp(shifted, true).sum(1).reshape(shifted.rows(), 1), false);
        return shifted.subiColumnVector(lse);
    }

    /** The distribution at {@code toTemperature} from log-probabilities taken at {@code fromTemperature}. */
    public static INDArray retemper(INDArray logProbs, double fromTemperature, double toTemperature) {
        requirePositive(fromTemperature);
        return softmax(logProbs.mul(fromTemperature), toTemperature);
    }

    /** Stable softmax of one vector at T, in double precision. */
    public static double[] softmax(double[] logits, double temperature) {
        requirePositive(temperature);
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits) {
            max = Math.max(max, z / temperature);
        }
        double sum = 0;
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = Math.exp(logits[i] / temperature - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    private static void requirePositive(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive finite number, got " + temperature);
        }
    }
}
