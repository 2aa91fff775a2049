package io.distillmesh.core.condense;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.engine.Embedding;
import io.distillmesh.core.engine.TrainingStep;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Distribution matching on real Fashion-MNIST: its image gradient matches finite differences of its loss in double
 * precision, a short run lowers the matching loss on networks it never saw, and the papers' evaluation trains fresh
 * ConvNets on the set through the engine.
 */
class DistributionMatchingTest {
    private static LabelledImages train;
    private static LabelledImages test;

    @BeforeAll
    static void load() {
        train = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN).head(3000);
        test = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST).head(1000);
    }

    @Test
    void imageGradientMatchesFiniteDifferencesOfTheMatchingLossInDouble() {
        assertImageGradientMatchesFiniteDifferences(Augmentation.NONE.draw(ImageShape.MNIST, null, 10));
    }

    @Test
    void imageGradientThroughSiameseAugmentationMatchesFiniteDifferencesInDouble() {
        Augmentation all = new Augmentation(List.of(Augmentation.Operation.values()));
        assertImageGradientMatchesFiniteDifferences(all.draw(ImageShape.MNIST, new Random(4), 10));
    }

    @Test
    void imageGradientOfTheGaussianMmdMatchesFiniteDifferencesInDouble() {
        assertImageGradientMatchesFiniteDifferences(Augmentation.NONE.draw(ImageShape.MNIST, null, 10),
                new GaussianMmd());
    }

    private static void assertImageGradientMatchesFiniteDifferences(AugmentationDraw draw) {
        assertImageGradientMatchesFiniteDifferences(draw, FeatureDiscrepancy.MEANS);
    }

    private static void assertImageGradientMatchesFiniteDifferences(AugmentationDraw draw,
                                                                    FeatureDiscrepancy discrepancy) {
        MultiLayerNetwork net = ModelZoo.classifier(ModelSpec.convNet(5, 4, 2)).convertDataType(DataType.DOUBLE);
        Embedding embedding = Embedding.of(net);
        INDArray theta = net.params();
        ClassSampler sampler = new ClassSampler(train, 3);
        INDArray real = train.features(sampler.perClass(4)).castTo(DataType.DOUBLE);
        INDArray synthetic = train.features(sampler.perClass(2)).castTo(DataType.DOUBLE);
        Random rnd = new Random(11);
        for (long i = 0; i < synthetic.length(); i++) {
            synthetic.putScalar(i, synthetic.getDouble(i) + 0.05 * rnd.nextGaussian());
        }
        EmbeddingMatch.Result at = EmbeddingMatch.at(embedding, theta, real, 4, synthetic, 2, 10, draw, discrepancy);
        double h = 1e-6;
        for (int k = 0; k < 25; k++) {
            int row = rnd.nextInt(20);
            int col = 150 + rnd.nextInt(500);
            double original = synthetic.getDouble(row, col);
            synthetic.putScalar(row, col, original + h);
            double plus = EmbeddingMatch.at(embedding, theta, real, 4, synthetic, 2, 10, draw, discrepancy).loss();
            synthetic.putScalar(row, col, original - h);
            double minus = EmbeddingMatch.at(embedding, theta, real, 4, synthetic, 2, 10, draw, discrepancy).loss();
            synthetic.putScalar(row, col, original);
            double numeric = (plus - minus) / (2 * h);
            double analytic = at.gradient().getDouble(row, col);
            double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
            // the difference quotient cannot resolve less than a few units in the last place of the loss over 2h
            double roundOff = 16 * Math.ulp(Math.max(Math.abs(plus), Math.abs(minus))) / (2 * h);
            assertTrue(Math.abs(analytic - numeric) <= 1e-5 * scale + roundOff,
                    "∂L/∂x[" + row + "," + col + "]: analytic " + analytic + " vs finite difference " + numeric
                            + " (loss " + plus + ", round-off " + roundOff + ")");
        }
    }

    @Test
    void aShortRunLowersTheMatchingLossOnUnseenNetworksAndFreshConvNetsLearnFromTheSet() {
        ModelSpec convNet = ModelSpec.convNet(1, 8, 3);
        TrainingRecipe recipe = TrainingRecipe.papers().withEpochs(40);
        CondensationSettings settings = new CondensationSettings(convNet, 1, 40, 64, 0.1, 0.5,
                CondensationSettings.ImageStart.NOISE, 7, recipe);
        List<Double> losses = new ArrayList<>();
        CondensedSet set = new DistributionMatching(train, settings).run((done, total, loss) -> losses.add(loss),
                () -> false);
        assertEquals(40, losses.size());
        assertEquals(10, set.size());
        ClassSampler sampler = new ClassSampler(train, 99);
        INDArray start = new ClassSampler(train, 7).noise(10);
        double before = 0;
        double after = 0;
        Embedding embedding = Embedding.of(ModelZoo.classifier(convNet));
        for (int k = 0; k < 3; k++) {
            INDArray theta = ModelZoo.classifier(convNet.withSeed(900 + k)).params();
            INDArray real = train.features(sampler.perClass(64));
            before += EmbeddingMatch.at(embedding, theta, real, 64, start, 1, 10).loss();
            after += EmbeddingMatch.at(embedding, theta, real, 64, set.features(), 1, 10).loss();
        }
        assertTrue(after < 0.5 * before, "matching loss on unseen networks: before " + before + ", after " + after);

        SetEvaluation.Score score = SetEvaluation.of(set, convNet, 2, test);
        assertEquals(2, score.accuracies().length);
        assertTrue(score.mean() > 0.3, "ConvNets trained on the condensed set: " + score.describe());
    }

    @Test
    void theEvaluationNetworksTrainThroughTheEngine() {
        TrainingRecipe recipe = TrainingRecipe.papers();
        for (ModelSpec network : List.of(ModelSpec.convNet(1, 8, 3), ModelSpec.lenet(1), ModelSpec.mlp(1, 128))) {
            TrainingStep step = TrainingStep.of(ModelZoo.classifier(network, recipe.updater(100), recipe.weightDecay()),
                    network.describe());
            assertTrue(step.path().startsWith(TrainingStep.ENGINE), network.describe() + " trains by " + step.path());
        }
    }

    @Test
    void dl4jsFitIsRefusedForTheConvNetWhoseInstanceNormalisationItBackpropagatesWrongly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingStep.dl4j(ModelZoo.classifier(ModelSpec.convNet(1, 4, 3)), "for comparison"));
        assertTrue(e.getMessage().contains("twice the gradient"), e.getMessage());
    }

    @Test
    void settingsRefuseNonsense() {
        TrainingRecipe recipe = TrainingRecipe.papers();
        ModelSpec convNet = ModelSpec.convNet(1, 8, 3);
        assertThrows(IllegalArgumentException.class, () -> new CondensationSettings(convNet, 0, 10, 8, 0.1, 0.5,
                CondensationSettings.ImageStart.REAL, 1, recipe));
        assertThrows(IllegalArgumentException.class, () -> new CondensationSettings(convNet, 1, 10, 8, -1, 0.5,
                CondensationSettings.ImageStart.REAL, 1, recipe));
        assertThrows(IllegalArgumentException.class, () -> new TrainingRecipe(10, 0, 0.01, 0.9, 0, 0.5, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new TrainingRecipe(10, 8, 0.01, 1.0, 0, 0.5, 0.1));
    }
}
