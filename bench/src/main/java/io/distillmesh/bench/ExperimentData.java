package io.distillmesh.bench;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.eval.Accuracy;
import io.distillmesh.core.model.LogitsModel;
import io.distillmesh.evaluator.checkpoint.ModelFiles;

import java.nio.file.Path;

/**
 * Fashion-MNIST train and test splits, the teacher (any model file a student could write: a multi-layer network or
 * a residual graph), and its soft targets for the whole training split.
 */
record ExperimentData(LabelledImages train, LabelledImages test, LogitsModel teacher, TeacherTargets teacherTargets,
                      double teacherTestAccuracy, double teacherTrainAccuracy) {
    private static final int TEACHER_BATCH = 500;

    static ExperimentData load(Path dir, Path teacherFile) {
        LabelledImages train = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
        LabelledImages test = FashionMnist.load(dir, FashionMnist.Split.TEST);
        LogitsModel teacher = ModelFiles.load(teacherFile);
        long start = System.nanoTime();
        TeacherTargets targets = TeacherTargets.compute(teacher, train, TEACHER_BATCH);
        double seconds = (System.nanoTime() - start) / 1e9;
        double testAccuracy = Accuracy.of(teacher, test, TEACHER_BATCH);
        ExperimentData data = new ExperimentData(train, test, teacher, targets, testAccuracy,
                targets.accuracy(train.labels()));
        System.out.printf("teacher %s: test accuracy %.4f, train accuracy %.4f (soft targets for %d train images in %.1f s)%n",
                teacherFile, data.teacherTestAccuracy, data.teacherTrainAccuracy, train.size(), seconds);
        return data;
    }
}
