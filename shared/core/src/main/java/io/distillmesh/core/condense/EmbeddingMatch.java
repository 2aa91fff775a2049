package io.distillmesh.core.condense;

import io.distillmesh.core.engine.Embedding;
import io.distillmesh.core.engine.OffHeap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
            INDArray realMean = rows(realFeatures, c, realPerClass).mean(0);
            INDArray difference = rows(syntheticFeatures, c, syntheticPerClass).mean(0).subi(realMean);
            loss += difference.mul(difference).sumNumber().doubleValue();
            rows(featureGradient, c, syntheticPerClass).addiRowVector(difference.muli(2.0 / syntheticPerClass));
            OffHeap.release(realMean, difference);
        }
        INDArray gradient = embedding.inputGradient(theta, synthetic, featureGradient);
        OffHeap.release(realFeatures, syntheticFeatures, featureGradient);
        return new Result(loss, gradient);
    }

    /** The {@code perClass} rows of class {@code c} (a view). */
    private static INDArray rows(INDArray a, int c, int perClass) {
        return a.get(NDArrayIndex.interval((long) c * perClass, (long) (c + 1) * perClass), NDArrayIndex.all());
    }
}
