package io.distillmesh.core.engine;

import io.distillmesh.core.model.LogitsModel;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The logits (the output layer's pre-activation) of a network on a batch of inputs, at its current
 * parameters. Testing the many small networks an evaluation trains is mostly forward passes, so where
 * {@link Backprop#AUTOMATIC} would take the hand-written backprop (MLPs; LeNets when ND4J has oneDNN) the
 * logits come from the same hand-written forward pass; for every other network from DL4J's feed-forward.
 */
public final class NetworkLogits implements LogitsModel {
    private final MultiLayerNetwork net;
    private final SmallNetworkGradientEngine handWritten;

    private NetworkLogits(MultiLayerNetwork net, SmallNetworkGradientEngine handWritten) {
        this.net = net;
        this.handWritten = handWritten;
    }

    public static NetworkLogits of(MultiLayerNetwork net) {
        return new NetworkLogits(net, SmallNetworkLayers.forLogits(net)
                .filter(SmallNetworkGradientEngine::fasterThanDl4j).orElse(null));
    }

    /**
     * Frees the calling thread's reusable forward-pass memory (sized by the largest batch it computed logits
     * for); call it after a loop over batches on a thread that may not come back to it soon.
     */
    public static void releaseBuffers() {
        PassWorkspace.LOGITS.release();
    }

    /** Which forward pass computes the logits: {@code hand-written} or {@code dl4j}. */
    public String engine() {
        return handWritten != null ? handWritten.name() : "dl4j";
    }

    @Override
    public INDArray logits(INDArray inputs) {
        if (handWritten != null) {
            return handWritten.logits(net.params(), inputs.castTo(net.params().dataType()));
        }
        int last = net.getnLayers() - 1;
        List<INDArray> activations = net.feedForwardToLayer(last - 1, inputs, false);
        INDArray hidden = activations.get(activations.size() - 1);
        Layer output = net.getLayer(last);
        INDArray w = output.getParam("W");
        INDArray b = output.getParam("b");
        return hidden.reshape(hidden.size(0), w.size(0)).mmul(w).addiRowVector(b);
    }
}
