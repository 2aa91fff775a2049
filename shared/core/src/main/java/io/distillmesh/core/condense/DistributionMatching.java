package io.distillmesh.core.condense;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.engine.CancelledException;
import io.distillmesh.core.engine.Embedding;
import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.model.ModelZoo;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dataset condensation by distribution matching (Zhao &amp; Bilen, WACV 2023): each iteration draws a freshly
 * initialised network, embeds a batch of real images of every class and the synthetic images, and moves the
 * synthetic images down the gradient of Σ_c ‖mean embedding(real_c) − mean embedding(synthetic_c)‖², by SGD with
 * momentum. First-order only: no network is trained and no second derivative is formed. With an
 * {@link Augmentation}, each class's real and synthetic images go through one draw, and the images' gradient back
 * through it.
 */
public final class DistributionMatching {
    /** Told after every iteration: how many are done, of how many, and that iteration's matching loss. */
    @FunctionalInterface
    public interface Progress {
        void iteration(int done, int total, double loss);
    }

    private final LabelledImages train;
    private final CondensationSettings settings;
    private final FeatureDiscrepancy discrepancy;

    public DistributionMatching(LabelledImages train, CondensationSettings settings) {
        this(train, settings, FeatureDiscrepancy.MEANS);
    }

    /** Matching the embeddings by {@code discrepancy} instead of by their means. */
    public DistributionMatching(LabelledImages train, CondensationSettings settings, FeatureDiscrepancy discrepancy) {
        if (train.numClasses() != settings.network().numClasses()) {
            throw new IllegalArgumentException(train.name() + " has " + train.numClasses() + " classes, the network "
                    + settings.network().numClasses());
        }
        this.train = train;
        this.settings = settings;
        this.discrepancy = discrepancy;
    }

    /** Condenses; {@code cancelled} is asked between iterations. */
    public CondensedSet run(Progress progress, BooleanSupplier cancelled) {
        ClassSampler sampler = new ClassSampler(train, settings.seed());
        int classes = train.numClasses();
        int perClass = settings.imagesPerClass();
        INDArray synthetic = settings.start() == CondensationSettings.ImageStart.REAL
                ? train.features(sampler.perClass(perClass)) : sampler.noise(classes * perClass);
        INDArray velocity = Nd4j.zeros(DataType.FLOAT, synthetic.shape());
        Embedding embedding = Embedding.of(ModelZoo.classifier(settings.network()));
        Random augmentationDraws = new Random(settings.augmentationSeed());
        for (int it = 0; it < settings.iterations(); it++) {
            CancelledException.throwIf(cancelled);
            INDArray theta = RandomInit.params(settings.network(), settings.networkSeed(it));
            INDArray real = train.features(sampler.perClass(settings.realPerClass()));
            AugmentationDraw draw = settings.augmentation().draw(ImageShape.MNIST, augmentationDraws, classes);
            EmbeddingMatch.Result match = EmbeddingMatch.at(embedding, theta, real, settings.realPerClass(), synthetic,
                    perClass, classes, draw, discrepancy);
            velocity.muli(settings.momentum()).addi(match.gradient());
            synthetic.subi(velocity.mul(settings.learningRate()));
            OffHeap.release(theta, real, match.gradient());
            double loss = match.loss();
            progress.iteration(it + 1, settings.iterations(), loss);
        }
        float[] pixels = synthetic.castTo(DataType.FLOAT).dup('c').data().asFloat();
        return new CondensedSet(settings.network(), ImageShape.MNIST, perClass, classes, pixels, settings.recipe());
    }
}
