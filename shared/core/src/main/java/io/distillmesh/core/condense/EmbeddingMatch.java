package io.distillmesh.core.condense;

import io.distillmesh.core.engine.Embedding;
import io.distillmesh.core.engine.OffHeap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Distribution matching's loss at one network θ, L = Σ_c D(f(real_c), f(synthetic_c)) for a {@link
 * FeatureDiscrepancy} D (by default the squared distance of the means), and its gradient w.r.t. the synthetic
 * images, taken from the embeddings back to the pixels through the network's backward pass. Both sets are laid out
 * class after class.
 */
final class EmbeddingMatch {
    record Result(double loss, INDArray gradient) {
    }

    private EmbeddingMatch() {
    }

    static Result at(Embedding embedding, INDArray theta, INDArray real, int realPerClass, INDArray synthetic,
                     int syntheticPerClass, int classes) {
        return at(embedding, theta, real, realPerClass, synthetic, syntheticPerClass, classes, FeatureDiscrepancy.MEANS);
    }

    static Result at(Embedding embedding, INDArray theta, INDArray real, int realPerClass, INDArray synthetic,
                     int syntheticPerClass, int classes, FeatureDiscrepancy discrepancy) {
        INDArray realFeatures = embedding.features(theta, real);
        INDArray syntheticFeatures = embedding.features(theta, synthetic);
        INDArray featureGradient = Nd4j.zeros(syntheticFeatures.dataType(), syntheticFeatures.shape());
        double loss = 0;
        for (int c = 0; c < classes; c++) {
            loss += discrepancy.addGradient(CondensedSet.classRows(realFeatures, c, realPerClass),
                    CondensedSet.classRows(syntheticFeatures, c, syntheticPerClass),
                    CondensedSet.classRows(featureGradient, c, syntheticPerClass));
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
                     int syntheticPerClass, int classes, AugmentationDraw draw, FeatureDiscrepancy discrepancy) {
        INDArray realSeen = draw.apply(real, realPerClass);
        INDArray syntheticSeen = draw.apply(synthetic, syntheticPerClass);
        Result seen = at(embedding, theta, realSeen, realPerClass, syntheticSeen, syntheticPerClass, classes,
                discrepancy);
        INDArray gradient = draw.transpose(seen.gradient(), syntheticPerClass);
        if (realSeen != real) {
            OffHeap.release(realSeen, syntheticSeen, seen.gradient());
        }
        return new Result(seen.loss(), gradient);
    }
}
