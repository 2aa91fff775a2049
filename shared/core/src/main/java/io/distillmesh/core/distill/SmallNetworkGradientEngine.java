package io.distillmesh.core.distill;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A hand-written, exact forward and backward pass for the small networks dataset distillation trains
 * (MLPs and LeNets: convolution, max pooling, dense layers, ReLU, softmax cross-entropy), straight on
 * ND4J arrays at any θ. It skips what DL4J's backprop does per call (copying θ into the network, layer
 * bookkeeping, workspaces) and the input gradient of the first layer when it is not wanted, and calls
 * libnd4j's convolution kernels directly (oneDNN's, in the onednn builds of nd4j-native). Which networks
 * it supports is decided by {@link SmallNetworkLayers}.
 */
final class SmallNetworkGradientEngine implements GradientEngine {
    private final List<LayerPass> layers;
    private final long[] sampleShape;
    private final long numParams;

    SmallNetworkGradientEngine(List<LayerPass> layers, long[] sampleShape, long numParams) {
        this.layers = List.copyOf(layers);
        this.sampleShape = sampleShape.clone();
        this.numParams = numParams;
    }

    /** The engine for {@code net}, if every layer of it is supported. */
    static Optional<SmallNetworkGradientEngine> supporting(MultiLayerNetwork net) {
        return SmallNetworkLayers.of(net);
    }

    /**
     * Whether this engine beats DL4J's own layers on this network: always for MLPs; for convolutional networks
     * only when ND4J's native library has oneDNN's kernels (libnd4j's generic ones are slower than DL4J's).
     */
    boolean fasterThanDl4j() {
        return layers.stream().noneMatch(l -> l instanceof ConvolutionPass) || NativeKernels.hasOneDnn();
    }

    @Override
    public String name() {
        return "hand-written";
    }

    @Override
    public LossGradients.ParamsAndInput paramsAndInput(INDArray theta, INDArray x, INDArray y) {
        Pass pass = forward(theta, x);
        INDArray gradient = Nd4j.zeros(theta.dataType(), numParams);
        INDArray inputGradient = backward(theta, pass, y, gradient, true);
        pass.release();
        return new LossGradients.ParamsAndInput(gradient, inputGradient.reshape('c', x.shape()));
    }

    @Override
    public LossGradients.Scored scored(INDArray theta, INDArray x, INDArray y) {
        Pass pass = forward(theta, x);
        INDArray gradient = Nd4j.zeros(theta.dataType(), numParams);
        backward(theta, pass, y, gradient, false);
        double loss = SoftmaxCrossEntropy.loss(pass.logits(), y);
        pass.release();
        return new LossGradients.Scored(loss, gradient);
    }

    @Override
    public double loss(INDArray theta, INDArray x, INDArray y) {
        Pass pass = forward(theta, x);
        double loss = SoftmaxCrossEntropy.loss(pass.logits(), y);
        pass.release();
        return loss;
    }

    /**
     * The output layer's pre-activation (logits) at θ, forward only; each layer's output is freed as soon as
     * the next layer has read it. The caller owns the result.
     */
    INDArray logits(INDArray theta, INDArray x) {
        INDArray a = x.reshape('c', batchShape(x));
        for (LayerPass layer : layers) {
            LayerPass.Activations out = layer.forward(theta, a);
            OffHeap.release(out.kept());
            if (a != x) {
                OffHeap.release(a);
            }
            a = out.output();
        }
        return a;
    }

    private long[] batchShape(INDArray x) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = x.size(0);
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return shape;
    }

    private record Pass(List<LayerPass.Activations> activations, INDArray logits) {
        /** Frees every layer's output and kept arrays (the network's input belongs to the caller). */
        void release() {
            for (LayerPass.Activations a : activations) {
                OffHeap.release(a.output(), a.kept());
            }
        }
    }

    private Pass forward(INDArray theta, INDArray x) {
        INDArray a = x.reshape('c', batchShape(x));
        List<LayerPass.Activations> activations = new ArrayList<>(layers.size());
        for (LayerPass layer : layers) {
            LayerPass.Activations out = layer.forward(theta, a);
            activations.add(out);
            a = out.output();
        }
        return new Pass(activations, a);
    }

    private INDArray backward(INDArray theta, Pass pass, INDArray y, INDArray gradient, boolean needInput) {
        INDArray g = SoftmaxCrossEntropy.logitGradient(pass.logits(), y);
        for (int i = layers.size() - 1; i >= 0; i--) {
            INDArray next = layers.get(i).backward(theta, pass.activations().get(i), g, gradient, needInput || i > 0);
            OffHeap.release(g);
            g = next;
        }
        return g;
    }
}
