package io.distillmesh.evaluator.metrics;

import io.distillmesh.core.data.FloatArrays;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.eval.LogitBatches;
import io.distillmesh.core.model.LogitsModel;
import io.distillmesh.core.specialist.ClassReduction;

import java.util.Arrays;

/**
 * Evaluates a network on every image of a labelled test set against the teacher's outputs on the same images.
 * Uses the output layer's pre-activation (the logits), so a student with an identity output (trained with the
 * distillation loss) and a classifier with a softmax output are measured the same way. Blocking and CPU-heavy:
 * call it from a worker thread.
 */
public final class TestSetEvaluator {
    private static final int BATCH = 1000;
    private final LabelledImages test;
    private final TeacherReference teacher;

    public TestSetEvaluator(LabelledImages test, TeacherReference teacher) {
        if (teacher.logProbs().length != test.size()) {
            throw new IllegalArgumentException("teacher reference has " + teacher.logProbs().length
                    + " rows, test set " + test.name() + " has " + test.size() + " images");
        }
        this.test = test;
        this.teacher = teacher;
    }

    public ClassifierMetrics evaluate(LogitsModel network) {
        ClassifierMetricsAccumulator metrics = new ClassifierMetricsAccumulator(test.numClasses());
        forEachBatch(test, network, (id, logits) -> metrics.add(logits, test.labels()[id], teacher.logProbs()[id]));
        return metrics.result();
    }

    /** An evaluator of a specialist's task: the same images, labels and teacher reduced to its classes + dustbin. */
    public TestSetEvaluator reducedTo(ClassReduction reduction) {
        int[] labels = Arrays.stream(test.labels()).map(reduction::reducedClass).toArray();
        LabelledImages reducedTest = new LabelledImages(test.name() + "/" + Arrays.toString(reduction.classes())
                .replace(" ", ""), test.images(), labels, reduction.size());
        return new TestSetEvaluator(reducedTest, teacher.reduced(reduction, labels));
    }

    public LabelledImages testSet() {
        return test;
    }

    public TeacherReference teacher() {
        return teacher;
    }

    /** Feeds the logits of every test image, in order, to {@code sink}. */
    static void forEachBatch(LabelledImages data, LogitsModel network, LogitsSink sink) {
        LogitBatches.forEach(data, network, BATCH, (ids, batch) -> {
            float[][] logits = FloatArrays.rows(batch);
            if (logits[0].length != data.numClasses()) {
                throw new IllegalArgumentException("the model has " + logits[0].length + " outputs but "
                        + data.name() + " has " + data.numClasses() + " classes");
            }
            for (int i = 0; i < ids.length; i++) {
                sink.accept(ids[i], logits[i]);
            }
        });
    }

    @FunctionalInterface
    interface LogitsSink {
        void accept(int sampleId, float[] logits);
    }
}
