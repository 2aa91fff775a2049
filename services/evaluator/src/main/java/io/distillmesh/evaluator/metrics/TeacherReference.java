package io.distillmesh.evaluator.metrics;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.TeacherModel;
import io.distillmesh.core.specialist.ClassReduction;

import java.util.Arrays;

/**
 * The teacher's log-probabilities at T = 1 on every test image (what students are compared with), computed
 * once when the evaluator starts, and the teacher's own metrics on the test set (agreement 1, KL 0).
 */
public record TeacherReference(String teacherId, double[][] logProbs, ClassifierMetrics metrics) {

    public static TeacherReference compute(TeacherModel teacher, LabelledImages test) {
        float[][] logits = new float[test.size()][];
        TestSetEvaluator.forEachBatch(test, teacher, (id, z) -> logits[id] = z);
        double[][] logProbs = new double[test.size()][];
        ClassifierMetricsAccumulator self = new ClassifierMetricsAccumulator(test.numClasses());
        for (int id = 0; id < logits.length; id++) {
            logProbs[id] = ClassifierMetricsAccumulator.logSoftmax(logits[id]);
            self.add(logits[id], test.labels()[id], logProbs[id]);
        }
        return new TeacherReference(teacher.id(), logProbs, self.result());
    }

    /**
     * The same reference for a specialist's task: the teacher's probabilities summed over {@code reduction}'s
     * classes and dustbin, scored against the reduced labels.
     */
    public TeacherReference reduced(ClassReduction reduction, int[] reducedLabels) {
        double[][] reducedLogProbs = new double[logProbs.length][];
        ClassifierMetricsAccumulator self = new ClassifierMetricsAccumulator(reduction.size());
        for (int id = 0; id < logProbs.length; id++) {
            double[] p = reduction.reduce(Arrays.stream(logProbs[id]).map(Math::exp).toArray());
            float[] logP = new float[p.length];
            reducedLogProbs[id] = new double[p.length];
            for (int c = 0; c < p.length; c++) {
                reducedLogProbs[id][c] = Math.log(p[c]);
                logP[c] = (float) reducedLogProbs[id][c];
            }
            self.add(logP, reducedLabels[id], reducedLogProbs[id]);
        }
        return new TeacherReference(teacherId, reducedLogProbs, self.result());
    }
}
