package io.distillmesh.core.engine;

import io.distillmesh.core.model.InstanceNormalization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Reads a DL4J network's configuration into {@link LayerPass}es, or finds that
 * {@link SmallNetworkGradientEngine} cannot reproduce it. Supported: NCHW convolutions without dilation,
 * max pooling without padding, dense layers, ReLU or identity activations, biases, and a
 * final softmax output layer with unweighted multi-class cross-entropy; inputs flat or reshaped to images
 * by DL4J's feed-forward-to-CNN preprocessor; zero-padded or same-mode convolutions with or without bias, average
 * pooling, instance normalisation and ReLU layers (the dataset-condensation ConvNet). Anything else (other layers,
 * activations, losses, preprocessors, layer norm) is left to DL4J's backprop.
 */
final class SmallNetworkLayers {
    private SmallNetworkLayers() {
    }

    static Optional<SmallNetworkGradientEngine> of(MultiLayerNetwork net) {
        return of(net, false);
    }

    /**
     * For logits only ({@link SmallNetworkGradientEngine#logits}) the output layer's activation and loss do not
     * matter: any dense output layer with a bias is read, e.g. a student's identity output trained by distillation.
     */
    static Optional<SmallNetworkGradientEngine> forLogits(MultiLayerNetwork net) {
        return of(net, true);
    }

    private static Optional<SmallNetworkGradientEngine> of(MultiLayerNetwork net, boolean logitsOnly) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        int n = conf.getConfs().size();
        List<LayerPass> passes = new ArrayList<>(n);
        long[] sampleShape = null;
        for (int i = 0; i < n; i++) {
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (i == 0) {
                sampleShape = sampleShape(pre, conf.getConf(0).getLayer());
                if (sampleShape == null) {
                    return Optional.empty();
                }
            } else if (pre != null && !(pre instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NCHW)) {
                return Optional.empty();
            }
            LayerPass pass = pass(net, i, conf.getConf(i).getLayer(), i == n - 1, logitsOnly);
            if (pass == null) {
                return Optional.empty();
            }
            passes.add(pass);
        }
        return Optional.of(new SmallNetworkGradientEngine(passes, sampleShape, net.numParams()));
    }

    private static long[] sampleShape(InputPreProcessor pre, Layer first) {
        if (pre instanceof FeedForwardToCnnPreProcessor f) {
            return new long[]{f.getNumChannels(), f.getInputHeight(), f.getInputWidth()};
        }
        if (pre == null && first instanceof DenseLayer d) {
            return new long[]{d.getNIn()};
        }
        return null;
    }

    private static LayerPass pass(MultiLayerNetwork net, int i, Layer layer, boolean last, boolean logitsOnly) {
        if (last) {
            boolean readable = layer.getClass() == OutputLayer.class
                    && (logitsOnly ? ((OutputLayer) layer).hasBias() : isSoftmaxCrossEntropy((OutputLayer) layer));
            return readable ? dense(net, i) : null;
        }
        if (layer.getClass() == ConvolutionLayer.class) {
            ConvolutionLayer c = (ConvolutionLayer) layer;
            Boolean relu = relu(c.getActivationFn());
            boolean plain = relu != null && c.getCnn2dDataFormat() == CNN2DFormat.NCHW
                    && c.getDilation()[0] == 1 && c.getDilation()[1] == 1
                    && c.getConvolutionMode() != ConvolutionMode.Causal;
            boolean same = c.getConvolutionMode() == ConvolutionMode.Same;
            return plain ? new ConvolutionPass(slot(net, i, "W"), c.hasBias() ? slot(net, i, "b") : null,
                    c.getStride()[0], c.getStride()[1], same ? 0 : c.getPadding()[0], same ? 0 : c.getPadding()[1],
                    same, relu) : null;
        }
        if (layer.getClass() == SubsamplingLayer.class) {
            SubsamplingLayer s = (SubsamplingLayer) layer;
            boolean plain = (s.getPoolingType() == PoolingType.MAX || s.getPoolingType() == PoolingType.AVG)
                    && s.getCnn2dDataFormat() == CNN2DFormat.NCHW
                    && unpadded(s.getConvolutionMode(), s.getPadding(), s.getDilation());
            if (!plain) {
                return null;
            }
            int[] k = s.getKernelSize();
            int[] stride = s.getStride();
            return s.getPoolingType() == PoolingType.MAX ? new MaxPoolingPass(k[0], k[1], stride[0], stride[1])
                    : new AveragePoolingPass(k[0], k[1], stride[0], stride[1]);
        }
        if (layer.getClass() == InstanceNormalization.class) {
            InstanceNormalization norm = (InstanceNormalization) layer;
            return new InstanceNormPass(slot(net, i, InstanceNormalization.GAIN), slot(net, i, InstanceNormalization.BIAS),
                    norm.getEpsilon());
        }
        if (layer.getClass() == ActivationLayer.class) {
            return Boolean.TRUE.equals(relu(((ActivationLayer) layer).getActivationFn())) ? new ReluPass() : null;
        }
        if (layer.getClass() == DenseLayer.class) {
            DenseLayer d = (DenseLayer) layer;
            Boolean relu = relu(d.getActivationFn());
            return d.hasBias() && !d.hasLayerNorm() && relu != null
                    ? new DensePass(slot(net, i, "W"), slot(net, i, "b"), relu) : null;
        }
        return null;
    }

    private static LayerPass dense(MultiLayerNetwork net, int i) {
        return new DensePass(slot(net, i, "W"), slot(net, i, "b"), false);
    }

    private static boolean isSoftmaxCrossEntropy(OutputLayer out) {
        return out.hasBias() && out.getActivationFn() instanceof ActivationSoftmax
                && out.getLossFn() instanceof LossMCXENT loss && loss.getWeights() == null;
    }

    /** true for the standard ReLU, false for identity, null for anything else. */
    static Boolean relu(IActivation activation) {
        if (activation instanceof ActivationIdentity) {
            return false;
        }
        return new ActivationReLU().equals(activation) ? true : null;
    }

    private static boolean unpadded(ConvolutionMode mode, int[] padding, int[] dilation) {
        return (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict)
                && padding[0] == 0 && padding[1] == 0 && dilation[0] == 1 && dilation[1] == 1;
    }

    private static ParameterSlot slot(MultiLayerNetwork net, int layer, String name) {
        INDArray view = net.getLayer(layer).getParam(name);
        return ParameterSlot.of(view, net.params());
    }
}
