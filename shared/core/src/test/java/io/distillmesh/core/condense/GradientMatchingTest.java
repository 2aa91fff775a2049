package io.distillmesh.core.condense;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.engine.Backprop;
import io.distillmesh.core.engine.LossGradients;
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
 * Gradient matching on real Fashion-MNIST: the distance's gradient and the images' meta-gradient (a mixed second
 * derivative by the R-operator) match finite differences in double precision, and a short run lowers the distance
 * on networks it never saw.
 */
class GradientMatchingTest {
    private static LabelledImages train;

    @BeforeAll
    static void load() {
        train = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN).head(3000);
    }

    @Test
    void distanceGradientMatchesFiniteDifferences() {
        MultiLayerNetwork net = ModelZoo.classifier(ModelSpec.convNet(2, 3, 2));
        GradientDistance distance = GradientDistance.of(net);
        Random rnd = new Random(4);
        double[] g = new double[(int) net.numParams()];
        double[] h = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = rnd.nextGaussian();
            h[i] = rnd.nextGaussian();
        }
        GradientDistance.Result at = distance.at(g, h);
        assertTrue(at.distance() > 0);
        double step = 1e-6;
        for (int k = 0; k < 30; k++) {
            int i = rnd.nextInt(g.length);
            double original = g[i];
            g[i] = original + step;
            double plus = distance.at(g, h).distance();
            g[i] = original - step;
            double minus = distance.at(g, h).distance();
            g[i] = original;
            assertClose(at.gradient()[i], (plus - minus) / (2 * step), "∂D/∂g[" + i + "]");
        }
        assertEquals(0, distance.at(h, h).distance(), 1e-4, "a gradient is at distance ~0 from itself");
    }

    @Test
    void imageGradientMatchesFiniteDifferencesOfTheDistanceInDouble() {
        assertImageGradientMatchesFiniteDifferences(Augmentation.NONE.draw(ImageShape.MNIST, null, 10));
    }

    @Test
    void imageGradientThroughSiameseAugmentationMatchesFiniteDifferencesInDouble() {
        Augmentation all = new Augmentation(List.of(Augmentation.Operation.values()));
        assertImageGradientMatchesFiniteDifferences(all.draw(ImageShape.MNIST, new Random(8), 10));
    }

    private static void assertImageGradientMatchesFiniteDifferences(AugmentationDraw draw) {
        MultiLayerNetwork net = ModelZoo.classifier(ModelSpec.convNet(5, 3, 2)).convertDataType(DataType.DOUBLE);
        LossGradients gradients = new LossGradients(net, Backprop.HAND_WRITTEN);
        GradientDistance distance = GradientDistance.of(net);
        INDArray theta = net.params().dup();
        ClassSampler sampler = new ClassSampler(train, 3);
        INDArray real = train.features(sampler.perClass(6)).castTo(DataType.DOUBLE);
        INDArray synthetic = train.features(sampler.perClass(2)).castTo(DataType.DOUBLE);
        Random rnd = new Random(13);
        for (long i = 0; i < synthetic.length(); i++) {
            synthetic.putScalar(i, synthetic.getDouble(i) + 0.05 * rnd.nextGaussian());
        }
        GradientMatching.Match at = GradientMatching.match(gradients, distance, theta, real, synthetic, 10, 2, draw);
        double h = 1e-6;
        for (int k = 0; k < 12; k++) {
            int row = rnd.nextInt(20);
            int col = 150 + rnd.nextInt(500);
            double original = synthetic.getDouble(row, col);
            synthetic.putScalar(row, col, original + h);
            double plus = GradientMatching.match(gradients, distance, theta, real, synthetic, 10, 2, draw).distance();
            synthetic.putScalar(row, col, original - h);
            double minus = GradientMatching.match(gradients, distance, theta, real, synthetic, 10, 2, draw).distance();
            synthetic.putScalar(row, col, original);
            assertClose(at.gradient().getDouble(row, col), (plus - minus) / (2 * h), "∂D/∂x[" + row + "," + col + "]");
        }
    }

    @Test
    void aShortRunLowersTheDistanceOnUnseenNetworks() {
        ModelSpec convNet = ModelSpec.convNet(1, 8, 3);
        CondensationSettings common = new CondensationSettings(convNet, 1, 12, 32, 0.01, 0.5,
                CondensationSettings.ImageStart.NOISE, 7, TrainingRecipe.papers().withEpochs(20));
        GradientMatchingSettings settings = GradientMatchingSettings.papers(common);
        assertEquals(1, settings.outerLoop());
        List<Double> losses = new ArrayList<>();
        CondensedSet set = new GradientMatching(train, settings).run((done, total, loss) -> losses.add(loss), () -> false);
        assertEquals(12, losses.size());
        MultiLayerNetwork template = ModelZoo.classifier(convNet);
        LossGradients gradients = new LossGradients(template, Backprop.HAND_WRITTEN);
        GradientDistance distance = GradientDistance.of(template);
        INDArray start = new ClassSampler(train, 7).noise(10);
        ClassSampler sampler = new ClassSampler(train, 99);
        double before = 0;
        double after = 0;
        for (int k = 0; k < 3; k++) {
            INDArray theta = ModelZoo.classifier(convNet.withSeed(900 + k)).params();
            INDArray real = train.features(sampler.perClass(32));
            before += GradientMatching.match(gradients, distance, theta, real, start, 10, 1).distance();
            after += GradientMatching.match(gradients, distance, theta, real, set.features(), 10, 1).distance();
        }
        assertTrue(after < before, "distance on unseen networks: before " + before + ", after " + after);
    }

    @Test
    void theNetworkTrainsOnTheSyntheticSetBetweenOuterSteps() {
        CondensationSettings common = new CondensationSettings(ModelSpec.convNet(1, 4, 2), 2, 2, 8, 0.01, 0.5,
                CondensationSettings.ImageStart.REAL, 3, TrainingRecipe.papers());
        List<Double> losses = new ArrayList<>();
        CondensedSet set = new GradientMatching(train, new GradientMatchingSettings(common, 3, 2, 0.01))
                .run((done, total, loss) -> losses.add(loss), () -> false);
        assertEquals(2, losses.size());
        assertTrue(losses.stream().allMatch(l -> Double.isFinite(l) && l > 0), losses.toString());
        assertEquals(20, set.size());
    }

    @Test
    void settingsFollowThePapersLoopsAndRefuseNonsense() {
        CondensationSettings ten = new CondensationSettings(ModelSpec.convNet(1, 8, 3), 10, 5, 8, 0.01, 0.5,
                CondensationSettings.ImageStart.REAL, 1, TrainingRecipe.papers());
        assertEquals(10, GradientMatchingSettings.papers(ten).outerLoop());
        assertEquals(50, GradientMatchingSettings.papers(ten).innerLoop());
        CondensationSettings twenty = new CondensationSettings(ModelSpec.convNet(1, 8, 3), 20, 5, 8, 0.01, 0.5,
                CondensationSettings.ImageStart.REAL, 1, TrainingRecipe.papers());
        assertEquals(List.of(20, 25), List.of(GradientMatchingSettings.papers(twenty).outerLoop(),
                GradientMatchingSettings.papers(twenty).innerLoop()));
        assertThrows(IllegalArgumentException.class, () -> new GradientMatchingSettings(ten, 0, 1, 0.01));
        assertThrows(IllegalArgumentException.class, () -> new GradientMatchingSettings(ten, 1, 1, 0));
    }

    private static void assertClose(double analytic, double numeric, String what) {
        double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
        assertTrue(Math.abs(analytic - numeric) <= 1e-5 * scale + 1e-9,
                what + ": analytic " + analytic + " vs finite difference " + numeric);
    }
}
