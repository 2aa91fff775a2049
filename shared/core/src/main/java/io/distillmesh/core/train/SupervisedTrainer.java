package io.distillmesh.core.train;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.TrainingStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Trains a classifier on hard labels with minibatch SGD in a seeded sample order. */
public final class SupervisedTrainer {
    private final int epochs;
    private final int batchSize;
    private final long orderSeed;

    public SupervisedTrainer(int epochs, int batchSize, long orderSeed) {
        if (epochs <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("epochs and batch size must be positive");
        }
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.orderSeed = orderSeed;
    }

    public void fit(MultiLayerNetwork net, LabelledImages data, ProgressListener progress) {
        EpochOrder order = new EpochOrder(data.size(), orderSeed);
        long total = (long) epochs * data.size();
        long done = 0;
        TrainingStep step = TrainingStep.of(net, "the classifier");
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] perm = order.permutation(epoch);
            for (int from = 0; from < perm.length; from += batchSize) {
                int[] ids = EpochOrder.slice(perm, from, Math.min(perm.length, from + batchSize));
                double loss = step.step(data.features(ids), data.oneHot(ids));
                done += ids.length;
                progress.onProgress(done, total, loss);
            }
        }
    }
}
