package io.distillmesh.core.specialist;

import io.distillmesh.core.condense.Augmentation;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.engine.TrainingStep;
import io.distillmesh.core.loss.KnowledgeDistillationLoss;
import io.distillmesh.core.train.EpochOrder;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;
import java.util.Random;

/**
 * Trains one specialist (Hinton et al. 2015, section 5): the generalist's network with its output layer cut down to
 * the specialist's classes plus a dustbin (initialised from the generalist's weights: the group's columns, and the
 * mean of the others for the dustbin), trained on data that is half the group and half the rest (all rest labels
 * merged into the dustbin) with the Hinton loss, whose soft term — the generalist's distribution at T, reduced the
 * same way — keeps it from overfitting its small share of the data.
 */
public final class SpecialistTrainer {
    private final int epochs;
    private final int batchSize;
    private final double temperature;
    private final double alpha;
    private final double learningRate;
    private final long seed;
    private final Augmentation augmentation;

    public SpecialistTrainer(int epochs, int batchSize, double temperature, double alpha, double learningRate, long seed) {
        this(epochs, batchSize, temperature, alpha, learningRate, seed, Augmentation.NONE);
    }

    /** With each training image augmented by a draw of its own ({@link Augmentation#NONE}: as they are). */
    public SpecialistTrainer(int epochs, int batchSize, double temperature, double alpha, double learningRate, long seed,
                             Augmentation augmentation) {
        if (epochs < 1 || batchSize < 1 || !(temperature > 0) || !(alpha >= 0 && alpha <= 1) || !(learningRate > 0)) {
            throw new IllegalArgumentException("epochs, batch size, temperature and learning rate must be positive"
                    + " and alpha in [0, 1]");
        }
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.temperature = temperature;
        this.alpha = alpha;
        this.learningRate = learningRate;
        this.seed = seed;
        this.augmentation = augmentation;
    }

    /**
     * @param perHalf how many samples of the group (and as many of the rest) to train on, at most
     */
    public Specialist train(Generalist generalist, LabelledImages data, int[] classes, int perHalf) {
        Model net = initialise(generalist.network(), classes);
        ClassReduction reduction = new ClassReduction(classes, data.numClasses());
        int[] ids = halfAndHalf(data.labels(), reduction, perHalf, seed);
        int reduced = classes.length + 1;
        float[] hard = new float[ids.length * reduced];
        for (int i = 0; i < ids.length; i++) {
            hard[i * reduced + reduction.reducedClass(data.labels()[ids[i]])] = 1f;
        }
        INDArray soft = Nd4j.create(DataType.FLOAT, ids.length, reduced);
        for (int from = 0; from < ids.length; from += 1000) {
            int[] chunk = Arrays.copyOfRange(ids, from, Math.min(ids.length, from + 1000));
            INDArray p = Transforms.exp(generalist.logProbs(data.features(chunk), temperature), false);
            soft.get(NDArrayIndex.interval(from, from + chunk.length), NDArrayIndex.all()).assign(reduction.reduce(p));
        }
        INDArray hardLabels = Nd4j.create(hard, new long[]{ids.length, reduced}, DataType.FLOAT);
        EpochOrder order = new EpochOrder(ids.length, seed);
        TrainingStep step = TrainingStep.of(net, "the specialist");
        Random rnd = new Random(seed);
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] perm = order.permutation(epoch);
            for (int from = 0; from < perm.length; from += batchSize) {
                int[] rows = EpochOrder.slice(perm, from, Math.min(perm.length, from + batchSize));
                int[] sampleIds = Arrays.stream(rows).map(r -> ids[r]).toArray();
                INDArray features = data.features(sampleIds);
                INDArray augmented = augmentation.applyToEachRow(features, rnd);
                step.step(augmented, KnowledgeDistillationLoss.labels(soft.getRows(rows), hardLabels.getRows(rows)));
                OffHeap.release(features, augmented);
            }
        }
        return new Specialist(classes, net);
    }

    /** The generalist with an output layer for {@code classes} + dustbin, initialised from its output weights. */
    Model initialise(Model generalist, int[] classes) {
        return SpecialistNetworks.fromGeneralist(generalist, new ClassReduction(classes, outputClasses(generalist)),
                temperature, alpha, learningRate, seed);
    }

    static int outputClasses(Model generalist) {
        return (int) SpecialistNetworks.outputLayerOf(generalist).getParam("b").length();
    }

    /** Up to {@code perHalf} seeded-random samples of the group and as many of the rest, in increasing order. */
    static int[] halfAndHalf(int[] labels, ClassReduction reduction, int perHalf, long seed) {
        int[] perm = new EpochOrder(labels.length, seed ^ 0x9E3779B9L).permutation(0);
        int[] group = Arrays.stream(perm).filter(i -> reduction.covers(labels[i]))
                .limit(perHalf).toArray();
        int[] rest = Arrays.stream(perm).filter(i -> !reduction.covers(labels[i]))
                .limit(group.length).toArray();
        int[] out = new int[group.length + rest.length];
        System.arraycopy(group, 0, out, 0, group.length);
        System.arraycopy(rest, 0, out, group.length, rest.length);
        Arrays.sort(out);
        return out;
    }
}
