package io.distillmesh.core.condense;

import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.engine.TrainingStep;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Trains one fresh network on a (small) labelled set by a {@link TrainingRecipe}, through the engine. */
public final class RecipeTraining {
    private RecipeTraining() {
    }

    /**
     * A network of {@code network}'s architecture initialised with {@code seed}, trained on ({@code x}: [n, 784],
     * {@code y}: one-hot [n, classes]); the batches are shuffled, and augmented where the recipe says so, by the same
     * seed.
     */
    public static MultiLayerNetwork train(ModelSpec network, TrainingRecipe recipe, INDArray x, INDArray y, long seed) {
        int n = (int) x.size(0);
        MultiLayerNetwork net = ModelZoo.classifier(network.withSeed(seed), recipe.updater(n), recipe.weightDecay());
        TrainingStep step = TrainingStep.of(net, "evaluation network " + network.describe());
        Random rnd = new Random(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
            shuffle(order, rnd);
            for (int from = 0; from < n; from += recipe.batchSize()) {
                int to = Math.min(n, from + recipe.batchSize());
                int[] batch = Arrays.copyOfRange(order, from, to);
                INDArray rows = x.getRows(batch);
                INDArray xb = recipe.augmentation().applyToEachRow(rows, rnd);
                if (xb != rows) {
                    OffHeap.release(rows);
                }
                INDArray yb = y.getRows(batch);
                step.step(xb, yb);
                OffHeap.release(xb, yb);
            }
        }
        return net;
    }

    /**
     * Refuses, with the reason, a network this process cannot train by {@code recipe} (e.g. a ConvNet with instance
     * normalisation where the engine steps aside and DL4J's backprop of that layer is wrong): before any work.
     */
    public static void requireTrainable(ModelSpec network, TrainingRecipe recipe) {
        MultiLayerNetwork net = ModelZoo.classifier(network, recipe.updater(1), recipe.weightDecay());
        try {
            TrainingStep.of(net, "evaluation network " + network.describe());
        } finally {
            OffHeap.release(net.params()); // not net.close(): it destroys the thread's workspaces and runs System.gc()
        }
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
