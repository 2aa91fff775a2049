package io.distillmesh.bench;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.eval.Accuracy;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.train.ConsoleProgress;
import io.distillmesh.core.train.EpochOrder;
import io.distillmesh.core.train.ProgressListener;
import io.distillmesh.core.train.SoftBatchBuilder;
import io.distillmesh.core.train.StudentTrainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Trains one student arm on a {@link TrainingSet} with the teacher's precomputed soft targets, in the
 * seeded sample order of {@link EpochOrder}, and measures its accuracy.
 */
final class StudentRunner {
    private final ExperimentData data;
    private final int batchSize;
    private final boolean progressBar;

    StudentRunner(ExperimentData data, int batchSize, boolean progressBar) {
        this.data = data;
        this.batchSize = batchSize;
        this.progressBar = progressBar;
    }

    /**
     * @param spec         the student network (its seed fixes the initial weights)
     * @param orderSeed    seed of the epoch permutations
     * @param trainCheck   images to report train accuracy on, or null for none
     */
    ArmOutcome run(StudentArm arm, ModelSpec spec, TrainingSet set, int epochs, long orderSeed, LabelledImages trainCheck) {
        StudentTrainer trainer = arm.trainer(spec);
        long start = System.nanoTime();
        long steps;
        String task = arm.label() + " seed " + orderSeed;
        if (progressBar) {
            try (ConsoleProgress bar = new ConsoleProgress(task, (long) epochs * set.size())) {
                steps = train(trainer, set, epochs, orderSeed, bar);
            }
        } else {
            steps = train(trainer, set, epochs, orderSeed, ProgressListener.NONE);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        MultiLayerNetwork net = (MultiLayerNetwork) trainer.network();
        double test = Accuracy.of(net, data.test());
        double train = trainCheck == null ? Double.NaN : Accuracy.of(net, trainCheck);
        ArmOutcome outcome = new ArmOutcome(arm, orderSeed, test, train, steps, seconds);
        System.out.printf("  %-30s seed %d: test %.4f%s, %d steps, %.1f s%n", arm.label(), orderSeed, test,
                trainCheck == null ? "" : String.format(", train %.4f", train), steps, seconds);
        return outcome;
    }

    /** Runs the epochs; returns the number of SGD steps taken. */
    private long train(StudentTrainer trainer, TrainingSet set, int epochs, long orderSeed, ProgressListener progress) {
        SoftBatchBuilder batch = trainer.newBatch(batchSize);
        EpochOrder order = new EpochOrder(set.size(), orderSeed);
        LabelledImages images = data.train();
        TeacherTargets targets = data.teacherTargets();
        long total = (long) epochs * set.size();
        long done = 0;
        long steps = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] perm = order.permutation(epoch);
            for (int from = 0; from < perm.length; from += batchSize) {
                batch.clear();
                for (int position : EpochOrder.slice(perm, from, Math.min(perm.length, from + batchSize))) {
                    int id = set.ids()[position];
                    batch.add(images.image(id), set.labels()[position], targets.row(id), TeacherTargets.TEMPERATURE);
                }
                double loss = trainer.fit(batch.build());
                steps++;
                done += batch.size();
                progress.onProgress(done, total, loss);
            }
        }
        return steps;
    }
}
