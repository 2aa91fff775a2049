package io.distillmesh.core.condense;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient-matching distance of Zhao, Mopuri &amp; Bilen (2021) between two parameter gradients of one network:
 * for every weight array, Σ over its output units of 1 − cos(g_unit, h_unit) (each unit's incoming weights: a
 * convolution's filter, a dense layer's column); biases and normalisation parameters do not count. Also its gradient
 * w.r.t. the first argument. In the flat parameter vector each unit's weights are contiguous: DL4J keeps convolution
 * weights [out, in, kH, kW] in C order and dense weights [in, out] in Fortran order.
 */
final class GradientDistance {
    private static final double EPSILON = 1e-6;

    /** One weight array: where it starts in θ, its units, and each unit's weights. */
    private record Weights(long offset, int units, int perUnit) {
    }

    /** The distance and ∂distance/∂g. */
    record Result(double distance, double[] gradient) {
    }

    private final List<Weights> weights;
    private final int numParams;

    private GradientDistance(List<Weights> weights, int numParams) {
        this.weights = List.copyOf(weights);
        this.numParams = numParams;
    }

    static GradientDistance of(MultiLayerNetwork net) {
        List<Weights> weights = new ArrayList<>();
        for (Layer layer : net.getLayers()) {
            INDArray w = layer.paramTable().get("W");
            if (w == null) {
                continue;
            }
            long offset = w.offset() - net.params().offset();
            if (w.rank() == 4 && w.ordering() == 'c') {
                weights.add(new Weights(offset, (int) w.size(0), (int) (w.length() / w.size(0))));
            } else if (w.rank() == 2 && w.ordering() == 'f') {
                weights.add(new Weights(offset, (int) w.size(1), (int) w.size(0)));
            } else {
                throw new IllegalArgumentException("gradient matching reads convolution weights in C order and dense "
                        + "weights in Fortran order; layer " + layer.getIndex() + " has rank " + w.rank() + ", order "
                        + w.ordering());
            }
        }
        return new GradientDistance(weights, (int) net.numParams());
    }

    /** D(g, h) and ∂D/∂g, for flat gradients g (the synthetic images') and h (the real images'). */
    Result at(double[] g, double[] h) {
        if (g.length != numParams || h.length != numParams) {
            throw new IllegalArgumentException("gradients of " + g.length + " and " + h.length + " values, the network "
                    + numParams);
        }
        double distance = 0;
        double[] gradient = new double[numParams];
        for (Weights w : weights) {
            for (int u = 0; u < w.units; u++) {
                int from = (int) (w.offset + (long) u * w.perUnit);
                double dot = 0;
                double gg = 0;
                double hh = 0;
                for (int i = from; i < from + w.perUnit; i++) {
                    dot += g[i] * h[i];
                    gg += g[i] * g[i];
                    hh += h[i] * h[i];
                }
                double gNorm = Math.sqrt(gg);
                double hNorm = Math.sqrt(hh);
                double denominator = gNorm * hNorm + EPSILON;
                distance += 1 - dot / denominator;
                double alongG = gNorm > 0 ? dot * hNorm / (gNorm * denominator * denominator) : 0;
                for (int i = from; i < from + w.perUnit; i++) {
                    gradient[i] = -h[i] / denominator + alongG * g[i];
                }
            }
        }
        return new Result(distance, gradient);
    }
}
