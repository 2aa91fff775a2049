package io.distillmesh.core.train;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.engine.TrainingStep;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a classifier on hard labels with minibatch SGD in a seeded sample order, optionally on augmented images
 * (drawn from the same seed); the network's epoch count advances after each epoch, as DL4J's {@code fit} does.
 */
public final class SupervisedTrainer {
    private final int epochs;
    private final int batchSize;
    private final long orderSeed;
    private final ImageAugmentation augmentation;

    public SupervisedTrainer(int epochs, int batchSize, long orderSeed) {
        this(epochs, batchSize, orderSeed, null);
    }

    private SupervisedTrainer(int epochs, int batchSize, long orderSeed, ImageAugmentation augmentation) {
        if (epochs <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("epochs and batch size must be positive");
        }
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.orderSeed = orderSeed;
        this.augmentation = augmentation;
    }

    /** This trainer, showing each batch augmented by {@code augmentation} (null or a no-op: the images as they are). */
    public SupervisedTrainer withAugmentation(ImageAugmentation augmentation) {
        return new SupervisedTrainer(epochs, batchSize, orderSeed,
                augmentation == null || !augmentation.changesImages() ? null : augmentation);
    }

    public void fit(MultiLayerNetwork net, LabelledImages data, ProgressListener progress) {
        fit(TrainingStep.of(net, "the classifier"), data, progress);
    }

    public void fit(ComputationGraph graph, LabelledImages data, ProgressListener progress) {
        fit(TrainingStep.of(graph, "the classifier"), data, progress);
    }

    private void fit(TrainingStep step, LabelledImages data, ProgressListener progress) {
        EpochOrder order = new EpochOrder(data.size(), orderSeed);
        Random draws = new Random(orderSeed);
        long total = (long) epochs * data.size();
        long done = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] perm = order.permutation(epoch);
            for (int from = 0; from < perm.length; from += batchSize) {
                int[] ids = EpochOrder.slice(perm, from, Math.min(perm.length, from + batchSize));
                INDArray features = data.features(ids);
                if (augmentation != null) {
                    INDArray plain = features;
                    features = augmentation.apply(plain, draws);
                    OffHeap.release(plain);
                }
                double loss = step.step(features, data.oneHot(ids));
                done += ids.length;
                progress.onProgress(done, total, loss);
            }
            incrementEpochCount(step.network());
        }
    }

    private static void incrementEpochCount(Model network) {
        if (network instanceof MultiLayerNetwork net) {
            net.incrementEpochCount();
        } else if (network instanceof ComputationGraph graph) {
            graph.incrementEpochCount();
        }
    }
}
