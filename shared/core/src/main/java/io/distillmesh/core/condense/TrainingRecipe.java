package io.distillmesh.core.condense;

import java.util.Map;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * How a fresh network is trained on a condensed set to evaluate it: {@code epochs} passes in shuffled mini-batches
 * of {@code batchSize}, SGD with Nesterov momentum (DL4J has no plain-momentum SGD), L2 {@code weightDecay} on every
 * parameter, and the learning rate multiplied by {@code decayFactor} once {@code decayAt} of the steps are done.
 * With an {@link Augmentation}, every image of every batch gets its own draw (the papers' evaluation with DSA).
 * {@link #papers()} is the dataset-condensation papers' schedule.
 */
public record TrainingRecipe(int epochs, int batchSize, double learningRate, double momentum, double weightDecay,
                             double decayAt, double decayFactor, Augmentation augmentation) {
    public TrainingRecipe {
        augmentation = augmentation == null ? Augmentation.NONE : augmentation;
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("a training recipe needs at least one epoch and a positive batch size, got "
                    + epochs + " epochs, batch " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and positive, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and non-negative, got " + weightDecay);
        }
        if (!(decayAt > 0 && decayAt <= 1) || !(decayFactor > 0 && decayFactor <= 1)) {
            throw new IllegalArgumentException("decay point must be in (0, 1] and decay factor in (0, 1], got "
                    + decayAt + " and " + decayFactor);
        }
    }

    /** Without augmentation. */
    public TrainingRecipe(int epochs, int batchSize, double learningRate, double momentum, double weightDecay,
                          double decayAt, double decayFactor) {
        this(epochs, batchSize, learningRate, momentum, weightDecay, decayAt, decayFactor, Augmentation.NONE);
    }

    /** 300 epochs, batch 256, lr 0.01 with momentum 0.9, weight decay 5e-4, lr × 0.1 at half (Zhao et al. 2021). */
    public static TrainingRecipe papers() {
        return new TrainingRecipe(300, 256, 0.01, 0.9, 5e-4, 0.5, 0.1);
    }

    public TrainingRecipe withEpochs(int n) {
        return new TrainingRecipe(n, batchSize, learningRate, momentum, weightDecay, decayAt, decayFactor,
                augmentation);
    }

    public TrainingRecipe withAugmentation(Augmentation a) {
        return new TrainingRecipe(epochs, batchSize, learningRate, momentum, weightDecay, decayAt, decayFactor, a);
    }

    public int stepsPerEpoch(int images) {
        return (images + batchSize - 1) / batchSize;
    }

    /** The optimizer for a set of {@code images}: the decay falls on the step {@link #decayAt} of the whole run. */
    public IUpdater updater(int images) {
        int total = epochs * stepsPerEpoch(images);
        int decayStep = Math.max(1, (int) Math.round(decayAt * total));
        MapSchedule schedule = new MapSchedule(ScheduleType.ITERATION,
                Map.of(0, learningRate, decayStep, learningRate * decayFactor));
        return new Nesterovs(schedule, momentum);
    }

    public String describe() {
        return epochs + " epochs, batch " + batchSize + ", SGD Nesterov lr " + learningRate + " momentum " + momentum
                + ", weight decay " + weightDecay + ", lr ×" + decayFactor + " at " + Math.round(100 * decayAt) + " %"
                + (augmentation.none() ? "" : ", augmentation " + augmentation.describe());
    }
}
