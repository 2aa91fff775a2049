package io.distillmesh.core.eval;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.NetworkLogits;
import io.distillmesh.core.engine.OffHeap;
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
        NetworkLogits logits = NetworkLogits.of(net);
        try {
            return correct(logits, data, batchSize) / (double) data.size();
        } finally {
            NetworkLogits.releaseBuffers();
        }
    }

    private static int correct(NetworkLogits logits, LabelledImages data, int batchSize) {
        int correct = 0;
        for (int from = 0; from < data.size(); from += batchSize) {
            int to = Math.min(data.size(), from + batchSize);
            int[] ids = new int[to - from];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = from + i;
            }
            INDArray inputs = data.features(ids);
            INDArray out = logits.logits(inputs);
            INDArray predicted = out.argMax(1);
            for (int i = 0; i < ids.length; i++) {
                if (predicted.getInt(i) == data.labels()[ids[i]]) {
                    correct++;
                }
            }
            OffHeap.release(inputs, out, predicted);
        }
        return correct;
    }
}
