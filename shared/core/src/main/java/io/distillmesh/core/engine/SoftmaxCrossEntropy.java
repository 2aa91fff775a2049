package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The mean cross-entropy of softmax(z) against targets y (rows of y need not be one-hot) and its
 * gradient w.r.t. the logits z: (softmax(z)·Σy − y)/N.
 */
final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    static double loss(INDArray logits, INDArray targets) {
        return -logSoftmax(logits).muli(targets).sumNumber().doubleValue() / logits.size(0);
    }

    static INDArray logitGradient(INDArray logits, INDArray targets) {
        INDArray p = Transforms.exp(logSoftmax(logits), false);
        return p.muliColumnVector(targets.sum(true, 1)).subi(targets).divi(logits.size(0));
    }

    /**
     * The derivative of {@link #logitGradient} along a direction of the logits R(z): with p = softmax(z),
     * R(p) = p ⊙ (R(z) − p·R(z)) per row, times Σy / N.
     */
    static INDArray logitGradientTangent(INDArray logits, INDArray logitsTangent, INDArray targets) {
        INDArray p = Transforms.exp(logSoftmax(logits), false);
        INDArray centred = logitsTangent.subColumnVector(p.mul(logitsTangent).sum(true, 1));
        return p.muli(centred).muliColumnVector(targets.sum(true, 1)).divi(logits.size(0));
    }

    private static INDArray logSoftmax(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSum);
    }
}
