package io.distillmesh.core.engine;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stack of dense layers read from a DL4J network: widths, activations, dropout, where each layer's weights and
 * bias sit in {@code net.params()}, and the output loss. {@link #read} says why a network is not such a stack.
 */
record MlpLayout(List<Dense> layers, OutputLoss loss, DataType dataType, long seed) {

    /**
     * One layer: {@code nIn × nOut} weights stored column-major at {@code weights} (DL4J's order, i.e. row-major
     * Wᵀ), {@code nOut} biases at {@code bias}; inverted dropout on its input with keep probability {@code keep}
     * (1 = none).
     */
    record Dense(int nIn, int nOut, int weights, int bias, Nonlinearity activation, double keep) {
    }

    /** The layout of {@code net}, or why the flat kernels cannot train it. */
    static Result read(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        DataType dataType = net.params().dataType();
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            return Result.no("parameters are " + dataType + " (float or double only)");
        }
        int n = net.getnLayers();
        List<Dense> layers = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < n; i++) {
            Layer layer = conf.getConf(i).getLayer();
            boolean last = i == n - 1;
            Class<?> expected = last ? OutputLayer.class : DenseLayer.class;
            if (layer.getClass() != expected) {
                return Result.no("layer " + i + " is a " + layer.getClass().getSimpleName() + " (dense layers and a "
                        + "final output layer only)");
            }
            if (conf.getInputPreProcess(i) != null) {
                return Result.no("layer " + i + " has the input preprocessor " + conf.getInputPreProcess(i));
            }
            String problem = LayerSettings.unsupported(i, layer, true);
            if (problem != null) {
                return Result.no(problem);
            }
            FeedForwardLayer dense = (FeedForwardLayer) layer;
            INDArray w = net.getLayer(i).getParam("W");
            INDArray b = net.getLayer(i).getParam("b");
            int nIn = Math.toIntExact(dense.getNIn());
            int nOut = Math.toIntExact(dense.getNOut());
            if (w == null || b == null || w.ordering() != 'f' || w.offset() != offset
                    || b.offset() != offset + (long) nIn * nOut || b.length() != nOut) {
                return Result.no("layer " + i + "'s parameters are not laid out as W (column-major) then b");
            }
            double keep = LayerSettings.keepProbability(layer);
            Nonlinearity activation = last ? Nonlinearity.IDENTITY
                    : Nonlinearity.of(((BaseLayer) layer).getActivationFn()).orElse(null);
            if (activation == null) {
                return Result.no("layer " + i + " has activation " + ((BaseLayer) layer).getActivationFn());
            }
            layers.add(new Dense(nIn, nOut, Math.toIntExact(offset), Math.toIntExact(offset + (long) nIn * nOut),
                    activation, keep));
            offset += (long) nIn * nOut + nOut;
        }
        if (offset != net.numParams()) {
            return Result.no("the layers hold " + offset + " of the network's " + net.numParams() + " parameters");
        }
        OutputLayer output = (OutputLayer) conf.getConf(n - 1).getLayer();
        OutputLoss loss = OutputLoss.of(output, layers.get(n - 1).nOut());
        if (loss == null) {
            return Result.no("output " + output.getActivationFn() + " with loss " + output.getLossFn()
                    + " (softmax with cross-entropy, or identity with the Hinton loss, only)");
        }
        return new Result(new MlpLayout(List.copyOf(layers), loss, dataType, conf.getConf(0).getSeed()), null);
    }

    int inputs() {
        return layers.get(0).nIn();
    }

    int widest() {
        return layers.stream().mapToInt(d -> Math.max(d.nIn(), d.nOut())).max().orElseThrow();
    }

    /** A layout, or the reason there is none. */
    record Result(MlpLayout layout, String unsupported) {
        static Result no(String reason) {
            return new Result(null, reason);
        }
    }
}
