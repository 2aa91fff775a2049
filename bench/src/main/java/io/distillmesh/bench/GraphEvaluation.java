package io.distillmesh.bench;

import io.distillmesh.core.data.FloatArrays;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.eval.ArgMax;
import io.distillmesh.core.model.ResidualLogits;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/** Test-set probabilities and accuracy of computation-graph classifiers, alone or averaged as an ensemble. */
final class GraphEvaluation {
    private GraphEvaluation() {
    }

    /**
     * Softmax outputs {@code [n, K]} of one residual network on all of {@code data}, as rows of floats, by the
     * engine's inference pass (DL4J's feed-forward of a ResNet-8 takes about 20× as long).
     */
    static float[][] probabilities(ComputationGraph net, LabelledImages data) {
        ResidualLogits logits = new ResidualLogits(net);
        float[][] out = new float[data.size()][];
        for (int from = 0; from < data.size(); from += 500) {
            int[] ids = Ranges.of(from, Math.min(data.size(), from + 500));
            INDArray x = data.features(ids);
            INDArray z = logits.logits(x);
            INDArray p = Transforms.softmax(z, true);
            float[][] rows = FloatArrays.rows(p);
            OffHeap.release(x, z, p);
            System.arraycopy(rows, 0, out, from, rows.length);
        }
        return out;
    }

    static double accuracy(float[][] probabilities, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (ArgMax.of(probabilities[i]) == labels[i]) {
                correct++;
            }
        }
        return correct / (double) labels.length;
    }

    /** Accuracy of the mean of the members' probabilities. */
    static double ensembleAccuracy(List<float[][]> members, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            float[] mean = new float[members.get(0)[i].length];
            for (float[][] m : members) {
                for (int k = 0; k < mean.length; k++) {
                    mean[k] += m[i][k];
                }
            }
            if (ArgMax.of(mean) == labels[i]) {
                correct++;
            }
        }
        return correct / (double) labels.length;
    }
}
