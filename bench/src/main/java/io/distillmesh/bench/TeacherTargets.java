package io.distillmesh.bench;

import io.distillmesh.core.data.FloatArrays;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.eval.ArgMax;
import io.distillmesh.core.loss.TemperatureSoftmax;
import io.distillmesh.core.model.LogitsModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The teacher's log-probabilities at T = 1 for every image of a data set, computed once and reused by every arm. */
final class TeacherTargets {
    /** The temperature the stored log-probabilities were taken at. */
    static final float TEMPERATURE = 1f;

    private final float[][] logProbs;

    private TeacherTargets(float[][] logProbs) {
        this.logProbs = logProbs;
    }

    static TeacherTargets compute(LogitsModel teacher, LabelledImages data, int batchSize) {
        float[][] rows = new float[data.size()][];
        for (int from = 0; from < data.size(); from += batchSize) {
            int[] ids = Ranges.of(from, Math.min(data.size(), from + batchSize));
            INDArray logits = teacher.logits(data.features(ids));
            float[][] batch = FloatArrays.rows(TemperatureSoftmax.logSoftmax(logits, TEMPERATURE));
            OffHeap.release(logits);
            System.arraycopy(batch, 0, rows, from, batch.length);
        }
        return new TeacherTargets(rows);
    }

    /** Log-probabilities of image {@code id}; callers must not modify the array. */
    float[] row(int id) {
        return logProbs[id];
    }

    /** How often the teacher's argmax equals the label. */
    double accuracy(int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (ArgMax.of(logProbs[i]) == labels[i]) {
                correct++;
            }
        }
        return correct / (double) labels.length;
    }
}
