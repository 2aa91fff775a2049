package io.distillmesh.core.eval;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.NetworkLogits;
import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.loss.TemperatureSoftmax;
import io.distillmesh.core.model.LogitsModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The one batch loop of test-set measurements: a model's logits on every image of a labelled set, in order, a batch
 * at a time. Each batch's inputs and logits are released after the sink has seen them, and the logits buffers once
 * the loop ends (or throws).
 */
public final class LogitBatches {
    private LogitBatches() {
    }

    /** What is done with one batch: the ids of its images in {@code data}, and their logits (one row per id). */
    @FunctionalInterface
    public interface Sink {
        void accept(int[] ids, INDArray logits);
    }

    public static void forEach(LabelledImages data, LogitsModel model, int batchSize, Sink sink) {
        try {
            for (int from = 0; from < data.size(); from += batchSize) {
                int first = from;
                int[] ids = new int[Math.min(data.size(), from + batchSize) - from];
                Arrays.setAll(ids, i -> first + i);
                INDArray inputs = data.features(ids);
                INDArray logits = model.logits(inputs);
                try {
                    sink.accept(ids, logits);
                } finally {
                    OffHeap.release(inputs, logits);
                }
            }
        } finally {
            NetworkLogits.releaseBuffers();
        }
    }

    /** The model's softmax distribution (T = 1) for every image of {@code data}, in order. */
    public static double[][] probabilities(LabelledImages data, LogitsModel model, int batchSize) {
        double[][] out = new double[data.size()][];
        forEach(data, model, batchSize, (ids, logits) -> {
            INDArray p = TemperatureSoftmax.softmax(logits, 1.0);
            double[][] rows = p.toDoubleMatrix();
            OffHeap.release(p);
            for (int r = 0; r < ids.length; r++) {
                out[ids[r]] = rows[r];
            }
        });
        return out;
    }
}
