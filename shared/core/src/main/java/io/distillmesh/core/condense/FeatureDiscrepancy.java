package io.distillmesh.core.condense;

import io.distillmesh.core.engine.OffHeap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How far one class's synthetic embeddings lie from its real ones, and the gradient of that distance w.r.t. the
 * synthetic embeddings. The real embeddings are constants: only the synthetic images learn.
 */
public interface FeatureDiscrepancy {
    /**
     * The discrepancy between {@code real} (N × d) and {@code synthetic} (M × d); adds its gradient w.r.t.
     * {@code synthetic} to {@code gradient} (M × d).
     */
    double addGradient(INDArray real, INDArray synthetic, INDArray gradient);

    /** Distribution matching's: the squared distance of the two means, ‖mean(synthetic) − mean(real)‖². */
    FeatureDiscrepancy MEANS = (real, synthetic, gradient) -> {
        INDArray realMean = real.mean(0);
        INDArray difference = synthetic.mean(0).subi(realMean);
        double loss = difference.mul(difference).sumNumber().doubleValue();
        gradient.addiRowVector(difference.muli(2.0 / synthetic.rows()));
        OffHeap.release(realMean, difference);
        return loss;
    };
}
