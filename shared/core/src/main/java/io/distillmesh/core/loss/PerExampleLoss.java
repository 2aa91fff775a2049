package io.distillmesh.core.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A DL4J loss that is a sum of one loss per example. A subclass says what fits ({@link #validate}), what one
 * example costs ({@link #scorePerExample}) and its gradient with respect to the layer's activations
 * ({@link #gradient}); this class applies the activation function and its backprop, the mask and the minibatch
 * average. A subclass keeps its hyper-parameters as its only fields: DL4J writes them into the model's JSON.
 */
public abstract class PerExampleLoss implements ILossFunction {

    /** Refuses labels and pre-activations of the wrong shape, saying which shape was expected. */
    protected abstract void validate(INDArray labels, INDArray preOutput);

    /** The loss of each example, {@code [n, 1]}, from the layer's activations. */
    protected abstract INDArray scorePerExample(INDArray labels, INDArray activations);

    /** dL/d(activations), shaped like the activations. */
    protected abstract INDArray gradient(INDArray labels, INDArray activations);

    @Override
    public final INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn,
                                            INDArray mask) {
        validate(labels, preOutput);
        INDArray score = scorePerExample(labels, activationFn.getActivation(preOutput.dup(), false));
        return mask == null ? score : score.muli(mask.reshape(score.shape()).castTo(score.dataType()));
    }

    @Override
    public final double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                     boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public final INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
                                          INDArray mask) {
        validate(labels, preOutput);
        INDArray dLdA = gradient(labels, activationFn.getActivation(preOutput.dup(), true));
        if (mask != null) {
            dLdA.muliColumnVector(mask.reshape(mask.length(), 1).castTo(dLdA.dataType()));
        }
        return activationFn.backprop(preOutput.dup(), dLdA).getFirst();
    }

    @Override
    public final Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                                IActivation activationFn, INDArray mask,
                                                                boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return toString();
    }
}
