package io.distillmesh.core.engine;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/** The per-layer training settings of a DL4J configuration that the engine's trainers do not implement. */
final class LayerSettings {
    private LayerSettings() {
    }

    /** What of layer {@code i}'s settings the engine cannot honour, or null; fixed dropout only where allowed. */
    static String unsupported(int i, Layer layer, boolean dropoutAllowed) {
        return unsupported("layer " + i, layer, dropoutAllowed);
    }

    /** As {@link #unsupported(int, Layer, boolean)} for a layer named {@code what} in the messages. */
    static String unsupported(String what, Layer layer, boolean dropoutAllowed) {
        IDropout dropout = layer.getIDropout();
        if (dropout != null && (!dropoutAllowed || dropout.getClass() != Dropout.class
                || ((Dropout) dropout).getPSchedule() != null)) {
            return what + " has " + dropout + (dropoutAllowed ? " (fixed-probability dropout only)" : "");
        }
        if (!(layer instanceof BaseLayer base)) {
            return null;
        }
        if (base.getGradientNormalization() != null && base.getGradientNormalization() != GradientNormalization.None) {
            return what + " normalizes gradients (" + base.getGradientNormalization() + ")";
        }
        if (base.getWeightNoise() != null) {
            return what + " has weight noise";
        }
        if (base.getConstraints() != null && !base.getConstraints().isEmpty()) {
            return what + " has constraints";
        }
        if (base instanceof DenseLayer dense && dense.hasLayerNorm()) {
            return what + " has layer normalization";
        }
        return null;
    }

    /** The keep probability of layer {@code i}'s fixed dropout, 1 without dropout. */
    static double keepProbability(Layer layer) {
        return layer.getIDropout() instanceof Dropout d ? d.getP() : 1;
    }
}
