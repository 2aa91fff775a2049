package io.distillmesh.core.engine;

import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What the meta-gradient needs of a network: its loss must be a deterministic, smooth-almost-everywhere
 * function of parameters and inputs, with each sample's loss depending on that sample alone, and the
 * inner step must be plain gradient descent on that loss. Dropout and weight noise make the loss random,
 * batch normalisation couples the samples of a batch, and regularisation would be applied by DL4J's
 * updater rather than by the inner step, so all of them are refused.
 */
public final class NetworkRequirements {
    private NetworkRequirements() {
    }

    public static void check(MultiLayerNetwork net) {
        if (net == null) {
            throw new IllegalArgumentException("a network is required");
        }
        int n = net.getLayerWiseConfigurations().getConfs().size();
        for (int i = 0; i < n; i++) {
            NeuralNetConfiguration conf = net.getLayerWiseConfigurations().getConf(i);
            Layer layer = conf.getLayer();
            String where = "layer " + i + " (" + layer.getClass().getSimpleName()
                    + (layer.getLayerName() == null ? "" : " '" + layer.getLayerName() + "'") + ")";
            if (layer instanceof BatchNormalization) {
                throw new IllegalArgumentException(where + " is batch normalisation: dataset distillation needs a "
                        + "network without batch norm (it couples the samples of a batch); remove it");
            }
            if (layer.getIDropout() != null) {
                throw new IllegalArgumentException(where + " uses dropout (" + layer.getIDropout()
                        + "): dataset distillation needs a deterministic network; build it without dropout");
            }
            if (layer instanceof BaseLayer base) {
                if (base.getWeightNoise() != null) {
                    throw new IllegalArgumentException(where + " uses weight noise: dataset distillation needs a "
                            + "deterministic network; remove it");
                }
                if (!isEmpty(base.getRegularization()) || !isEmpty(base.getRegularizationBias())) {
                    throw new IllegalArgumentException(where + " has regularisation (l1/l2/weight decay), which the "
                            + "plain gradient steps of the inner loop would not apply; remove it");
                }
            }
        }
        if (!(net.getOutputLayer() instanceof IOutputLayer)) {
            throw new IllegalArgumentException("the last layer must be an output layer with a loss function, got "
                    + net.getOutputLayer().getClass().getSimpleName());
        }
    }

    private static boolean isEmpty(java.util.List<?> list) {
        return list == null || list.isEmpty();
    }
}
