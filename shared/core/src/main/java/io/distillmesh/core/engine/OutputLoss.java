package io.distillmesh.core.engine;

import io.distillmesh.core.loss.KnowledgeDistillationLoss;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The loss on a network's output logits, on flat row-major arrays: the batch mean and its gradient w.r.t. the
 * logits. The flat trainers ({@link MlpTrainer}) call it once per batch; logits and labels are small there.
 */
public interface OutputLoss {
    /**
     * The loss of a DL4J output layer with {@code classes} outputs: softmax with unweighted cross-entropy, or
     * identity with the Hinton loss; null for any other.
     */
    static OutputLoss of(OutputLayer output, int classes) {
        ILossFunction lossFn = output.getLossFn();
        if (lossFn instanceof KnowledgeDistillationLoss kd && output.getActivationFn() instanceof ActivationIdentity
                && kd.numClasses() == classes) {
            return new HintonLoss(kd.temperature(), kd.alpha(), classes);
        }
        if (lossFn instanceof LossMCXENT mcxent && mcxent.getWeights() == null
                && output.getActivationFn() instanceof ActivationSoftmax) {
            return new SoftmaxCrossEntropyLoss(classes);
        }
        return null;
    }

    /** Columns of the logits. */
    int classes();

    /** Columns of one label row. */
    int labelColumns();

    /**
     * Writes dL/dz of the batch mean into {@code gradient} ({@code [n, classes]}) and answers the batch mean loss.
     */
    double lossAndGradient(double[] logits, double[] labels, int n, double[] gradient);

    /** What the network outputs for these logits (row by row, in place): probabilities, or the logits themselves. */
    void activateOutput(double[] logits, int n);
}
