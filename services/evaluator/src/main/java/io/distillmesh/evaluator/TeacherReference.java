package io.distillmesh.evaluator;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.TeacherModel;

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
}
