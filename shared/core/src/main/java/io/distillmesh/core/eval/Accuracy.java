package io.distillmesh.core.eval;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.NetworkLogits;
import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.model.LogitsModel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Test-set accuracy of a classifier (argmax of its output). */
public final class Accuracy {
    private Accuracy() {
    }

    public static double of(MultiLayerNetwork net, LabelledImages data) {
        return of(net, data, 1000);
    }

    public static double of(MultiLayerNetwork net, LabelledImages data, int batchSize) {
        return of(NetworkLogits.of(net), data, batchSize);
    }

    public static double of(LogitsModel model, LabelledImages data, int batchSize) {
        int[] correct = new int[1];
        LogitBatches.forEach(data, model, batchSize, (ids, logits) -> {
            INDArray predicted = logits.argMax(1);
            for (int i = 0; i < ids.length; i++) {
                if (predicted.getInt(i) == data.labels()[ids[i]]) {
                    correct[0]++;
                }
            }
            OffHeap.release(predicted);
        });
        return correct[0] / (double) data.size();
    }
}
