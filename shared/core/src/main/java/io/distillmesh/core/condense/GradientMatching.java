package io.distillmesh.core.condense;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.engine.Backprop;
import io.distillmesh.core.engine.CancelledException;
import io.distillmesh.core.engine.LossGradients;
import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.model.ModelZoo;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Dataset condensation by gradient matching (Zhao, Mopuri &amp; Bilen, ICLR 2021). For each random init, an outer
 * loop moves the synthetic images so that, class by class, the network's loss gradient on them points as its
 * gradient on a batch of real images of the class does ({@link GradientDistance}), then trains the network a few SGD
 * steps on the synthetic set. The images' gradient ∂D/∂x = (∂g/∂x)ᵀ ∂D/∂g is a mixed second derivative, taken
 * exactly by the engine's R-operator as R(∇x ℓ) along v = ∂D/∂g. With an {@link Augmentation}, each outer step
 * draws one transform per class for its real and synthetic images, and the images' gradient goes back through it.
 */
public final class GradientMatching {
    static final int NETWORK_BATCH = 256;
    private final LabelledImages train;
    private final GradientMatchingSettings settings;

    public GradientMatching(LabelledImages train, GradientMatchingSettings settings) {
        if (train.numClasses() != settings.common().network().numClasses()) {
            throw new IllegalArgumentException(train.name() + " has " + train.numClasses() + " classes, the network "
                    + settings.common().network().numClasses());
        }
        this.train = train;
        this.settings = settings;
    }

    /** Condenses; {@code progress} hears the summed distance of each init's last outer step. */
    public CondensedSet run(DistributionMatching.Progress progress, BooleanSupplier cancelled) {
        CondensationSettings common = settings.common();
        ClassSampler sampler = new ClassSampler(train, common.seed());
        int classes = train.numClasses();
        int perClass = common.imagesPerClass();
        INDArray synthetic = common.start() == CondensationSettings.ImageStart.REAL
                ? train.features(sampler.perClass(perClass)) : sampler.noise(classes * perClass);
        INDArray labels = CondensedSet.classBlocks(classes, perClass);
        INDArray velocity = Nd4j.zeros(DataType.FLOAT, synthetic.shape());
        MultiLayerNetwork template = ModelZoo.classifier(common.network());
        LossGradients gradients = new LossGradients(template, Backprop.HAND_WRITTEN);
        if (!gradients.hasExactHessianVectorProducts()) {
            throw new IllegalArgumentException("gradient matching needs the engine's exact Hessian-vector products, "
                    + "which it lacks for " + common.network().describe());
        }
        GradientDistance distance = GradientDistance.of(template);
        Random augmentationDraws = new Random(common.augmentationSeed());
        for (int it = 0; it < common.iterations(); it++) {
            INDArray theta = RandomInit.params(common.network(), common.networkSeed(it));
            double loss = 0;
            for (int outer = 0; outer < settings.outerLoop(); outer++) {
                CancelledException.throwIf(cancelled);
                INDArray real = train.features(sampler.perClass(common.realPerClass()));
                AugmentationDraw draw = common.augmentation().draw(ImageShape.MNIST, augmentationDraws, classes);
                Match match = match(gradients, distance, theta, real, synthetic, classes, perClass, draw);
                velocity.muli(common.momentum()).addi(match.gradient());
                synthetic.subi(velocity.mul(common.learningRate()));
                OffHeap.release(real, match.gradient());
                loss = match.distance();
                if (outer < settings.outerLoop() - 1) {
                    for (int inner = 0; inner < settings.innerLoop(); inner++) {
                        trainEpoch(gradients, theta, synthetic, labels);
                    }
                }
            }
            OffHeap.release(theta);
            progress.iteration(it + 1, common.iterations(), loss);
        }
        float[] pixels = synthetic.castTo(DataType.FLOAT).dup('c').data().asFloat();
        return new CondensedSet(common.network(), ImageShape.MNIST, perClass, classes, pixels, common.recipe());
    }

    /** One epoch of plain SGD on the synthetic set, in its order, in batches of {@value #NETWORK_BATCH} (the paper's). */
    private void trainEpoch(LossGradients gradients, INDArray theta, INDArray synthetic, INDArray labels) {
        long n = synthetic.size(0);
        for (long from = 0; from < n; from += NETWORK_BATCH) {
            long to = Math.min(n, from + NETWORK_BATCH);
            INDArray step = gradients.scored(theta, synthetic.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
                    labels.get(NDArrayIndex.interval(from, to), NDArrayIndex.all())).params();
            theta.subi(step.muli(settings.networkLearningRate()));
            OffHeap.release(step);
        }
    }

    /** Σ_c D(∇θ ℓ(synthetic_c), ∇θ ℓ(real_c)) and its gradient w.r.t. the synthetic images. */
    record Match(double distance, INDArray gradient) {
    }

    static Match match(LossGradients gradients, GradientDistance distance, INDArray theta, INDArray real,
                       INDArray synthetic, int classes, int perClass) {
        return match(gradients, distance, theta, real, synthetic, classes, perClass,
                Augmentation.NONE.draw(ImageShape.MNIST, null, classes));
    }

    /** As above, on the images as {@code draw} transforms them, class by class. */
    static Match match(LossGradients gradients, GradientDistance distance, INDArray theta, INDArray realImages,
                       INDArray syntheticImages, int classes, int perClass, AugmentationDraw draw) {
        int realPerClass = (int) (realImages.size(0) / classes);
        INDArray real = draw.apply(realImages, realPerClass);
        INDArray synthetic = draw.apply(syntheticImages, perClass);
        INDArray imageGradient = Nd4j.zeros(gradients.dataType(), synthetic.shape());
        double total = 0;
        for (int c = 0; c < classes; c++) {
            INDArray realRows = CondensedSet.classRows(real, c, realPerClass);
            INDArray syntheticRows = CondensedSet.classRows(synthetic, c, perClass);
            INDArray realGradient = gradients.scored(theta, realRows, classLabels(classes, realPerClass, c)).params();
            INDArray syntheticLabels = classLabels(classes, perClass, c);
            INDArray syntheticGradient = gradients.scored(theta, syntheticRows, syntheticLabels).params();
            GradientDistance.Result d = distance.at(syntheticGradient.castTo(DataType.DOUBLE).data().asDouble(),
                    realGradient.castTo(DataType.DOUBLE).data().asDouble());
            total += d.distance();
            INDArray v = Nd4j.createFromArray(d.gradient()).castTo(gradients.dataType());
            LossGradients.ParamsAndInput products = gradients.hessianVectorProduct(theta, v, syntheticRows,
                    syntheticLabels);
            CondensedSet.classRows(imageGradient, c, perClass)
                    .addi(products.input().reshape(perClass, synthetic.size(1)));
            OffHeap.release(realGradient, syntheticGradient, v, products.params(), products.input());
        }
        INDArray throughDraw = draw.transpose(imageGradient, perClass);
        if (real != realImages) {
            OffHeap.release(real, synthetic, imageGradient);
        }
        return new Match(total, throughDraw);
    }

    /** {@code perClass} one-hot rows of class {@code c}. */
    private static INDArray classLabels(int classes, int perClass, int c) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, perClass, classes);
        for (int r = 0; r < perClass; r++) {
            y.putScalar(r, c, 1);
        }
        return y;
    }
}
