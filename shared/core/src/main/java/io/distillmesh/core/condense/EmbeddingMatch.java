package io.distillmesh.core.condense;

import io.distillmesh.core.engine.Embedding;
import io.distillmesh.core.engine.OffHeap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Distribution matching's loss at one network θ, L = Σ_c ‖mean_i f(real_c,i) − mean_j f(synthetic_c,j)‖², and its
 * gradient w.r.t. the synthetic images: ∂L/∂f(synthetic_c,j) = 2(mean f(synthetic_c) − mean f(real_c))/M, taken
 * back to the pixels through the network's backward pass. Both sets are laid out class after class.
 */
final class EmbeddingMatch {
    record Result(double loss, INDArray gradient) {
    }

    private EmbeddingMatch() {
    }

    static Result at(Embedding embedding, INDArray theta, INDArray real, int realPerClass, INDArray synthetic,
                     int syntheticPerClass, int classes) {
        INDArray realFeatures = embedding.features(theta, real);
        INDArray syntheticFeatures = embedding.features(theta, synthetic);
        INDArray featureGradient = Nd4j.zeros(syntheticFeatures.dataType(), syntheticFeatures.shape());
        double loss = 0;
        for (int c = 0; c < classes; c++) {
            INDArray realMean = CondensedSet.classRows(realFeatures, c, realPerClass).mean(0);
            INDArray difference = CondensedSet.classRows(syntheticFeatures, c, syntheticPerClass).mean(0)
                    .subi(realMean);
            loss += difference.mul(difference).sumNumber().doubleValue();
            CondensedSet.classRows(featureGradient, c, syntheticPerClass)
                    .addiRowVector(difference.muli(2.0 / syntheticPerClass));
            OffHeap.release(realMean, difference);
        }
        INDArray gradient = embedding.inputGradient(theta, synthetic, featureGradient);
        OffHeap.release(realFeatures, syntheticFeatures, featureGradient);
        return new Result(loss, gradient);
    }

    /**
     * The loss on the images as {@code draw} transforms them (one transform per class, the same for the real and the
     * synthetic images of the class), and its gradient w.r.t. the synthetic images before the transform.
     */
    static Result at(Embedding embedding, INDArray theta, INDArray real, int realPerClass, INDArray synthetic,
                     int syntheticPerClass, int classes, AugmentationDraw draw) {
        INDArray realSeen = draw.apply(real, realPerClass);
        INDArray syntheticSeen = draw.apply(synthetic, syntheticPerClass);
        Result seen = at(embedding, theta, realSeen, realPerClass, syntheticSeen, syntheticPerClass, classes);
        INDArray gradient = draw.transpose(seen.gradient(), syntheticPerClass);
        if (realSeen != real) {
            OffHeap.release(realSeen, syntheticSeen, seen.gradient());
        }
        return new Result(seen.loss(), gradient);
    }
}
