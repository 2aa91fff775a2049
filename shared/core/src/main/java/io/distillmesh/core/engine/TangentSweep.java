package io.distillmesh.core.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact Hessian-vector product of a layered network's mean softmax cross-entropy by the R-operator: after a
 * forward pass, one sweep forward carries R(activations) along v, one sweep back carries δ and R(δ), and the layers
 * write R(∇θ ℓ) = Hv as they go. It costs about two gradient passes and needs no step size.
 */
final class TangentSweep {
    private final List<TangentPass> layers;
    private final long numParams;

    private TangentSweep(List<TangentPass> layers, long numParams) {
        this.layers = layers;
        this.numParams = numParams;
    }

    /** The sweep for {@code layers}, or null when one of them has no tangent pass. */
    static TangentSweep of(List<LayerPass> layers, long numParams) {
        List<TangentPass> tangents = new ArrayList<>(layers.size());
        for (LayerPass layer : layers) {
            if (!(layer instanceof TangentPass t)) {
                return null;
            }
            tangents.add(t);
        }
        return new TangentSweep(List.copyOf(tangents), numParams);
    }

    /**
     * Hv and R(∇x ℓ) at the forward pass {@code activations} (one per layer, at θ, on x shaped {@code inputShape})
     * with targets y.
     */
    LossGradients.ParamsAndInput along(INDArray theta, INDArray v, List<LayerPass.Activations> activations,
                                       INDArray y, long[] inputShape) {
        List<INDArray> tangents = new ArrayList<>(layers.size());
        INDArray tangent = null;
        for (int i = 0; i < layers.size(); i++) {
            tangent = layers.get(i).forwardTangent(theta, v, activations.get(i), tangent);
            tangents.add(tangent);
        }
        INDArray logits = activations.get(layers.size() - 1).output();
        INDArray delta = SoftmaxCrossEntropy.logitGradient(logits, y);
        INDArray deltaTangent = SoftmaxCrossEntropy.logitGradientTangent(logits, tangent, y);
        INDArray hv = Nd4j.zeros(theta.dataType(), numParams);
        for (int i = layers.size() - 1; i >= 0; i--) {
            TangentPass.Gradients next = layers.get(i).backwardTangent(theta, v, activations.get(i),
                    i > 0 ? tangents.get(i - 1) : null, delta, deltaTangent, hv, i > 0, true);
            OffHeap.release(delta, deltaTangent, tangents.get(i));
            delta = next.input();
            deltaTangent = next.inputTangent();
        }
        return new LossGradients.ParamsAndInput(hv, deltaTangent.reshape('c', inputShape));
    }
}
