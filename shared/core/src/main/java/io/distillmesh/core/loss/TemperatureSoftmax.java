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
        INDArray shifted = logits.div(temperature);
        INDArray max = shifted.max(1);
        shifted.subiColumnVector(max.reshape(shifted.rows(), 1));
        INDArray exp = Transforms.exp(shifted, true);
        INDArray sum = exp.sum(1);
        INDArray lse = Transforms.log(sum, false);
        shifted.subiColumnVector(lse.reshape(shifted.rows(), 1));
        for (INDArray intermediate : new INDArray[]{max, exp, sum}) {
            // freed now rather than by the GC; arrays of a DL4J workspace are not closeable and stay
            if (intermediate.closeable()) {
                intermediate.close();
            }
        }
        return shifted;
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
