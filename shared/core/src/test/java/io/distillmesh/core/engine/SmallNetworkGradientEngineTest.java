package io.distillmesh.core.engine;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written backprop of the small networks: it is chosen for MLPs and the LeNet, it agrees with
 * DL4J's backprop (float and double; on a batch of three chunks, the last one partial), and its gradients
 * match finite differences of its loss in double.
 */
class SmallNetworkGradientEngineTest {
    private static LabelledImages real;

    @BeforeAll
    static void load() {
        real = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST).head(300);
    }

    @Test
    void mlpsAndTheLenetGetTheHandWrittenBackpropOtherNetworksDl4js() {
        String forConvolutions = NativeKernels.hasOneDnn() ? "hand-written" : "dl4j";
        assertEquals(forConvolutions, new LossGradients(ModelZoo.classifier(ModelSpec.lenet(1))).engine());
        assertEquals("hand-written", new LossGradients(ModelZoo.classifier(ModelSpec.mlp(1, 32, 16))).engine());
        assertEquals("hand-written", new LossGradients(ModelZoo.classifier(ModelSpec.lenet(1)), Backprop.HAND_WRITTEN).engine());
        assertEquals("hand-written", new LossGradients(ModelZoo.classifier(ModelSpec.cnn(1, 4, 8, 16)), Backprop.HAND_WRITTEN).engine());
        MultiLayerConfiguration tanh = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(tanh);
        net.init();
        assertEquals("dl4j", new LossGradients(net).engine());
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LossGradients(net, Backprop.HAND_WRITTEN));
        assertTrue(refused.getMessage().contains("does not support this network"), refused.getMessage());
        assertEquals("dl4j", LossGradients.dl4jBackprop(ModelZoo.classifier(ModelSpec.lenet(1))).engine());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"lenet,FLOAT,1e-5", "mlp,FLOAT,1e-5", "lenet,DOUBLE,1e-11", "mlp,DOUBLE,1e-11"})
    void gradientsAgreeWithDl4jBackprop(String network, DataType type, double tolerance) {
        ModelSpec spec = network.equals("mlp") ? ModelSpec.mlp(3, 64, 32) : ModelSpec.lenet(3);
        LossGradients handWritten = new LossGradients(network(spec, type), Backprop.HAND_WRITTEN);
        LossGradients dl4j = LossGradients.dl4jBackprop(network(spec, type));
        INDArray theta = ModelZoo.classifier(spec.withSeed(9)).params().castTo(type);
        int rows = (int) (2 * SmallNetworkGradientEngine.CHUNK_ROWS + 44);
        INDArray x = real.features(IntStream.range(0, rows).toArray()).castTo(type);
        INDArray y = real.oneHot(IntStream.range(0, rows).toArray()).castTo(type);

        LossGradients.ParamsAndInput a = handWritten.paramsAndInput(theta, x, y);
        LossGradients.ParamsAndInput b = dl4j.paramsAndInput(theta, x, y);
        assertClose(b.params(), a.params(), tolerance, "∇θ");
        assertClose(b.input(), a.input(), tolerance, "∇x");
        LossGradients.Scored sa = handWritten.scored(theta, x, y);
        LossGradients.Scored sb = dl4j.scored(theta, x, y);
        assertEquals(sb.loss(), sa.loss(), tolerance * sb.loss(), "loss");
        assertClose(sb.params(), sa.params(), tolerance, "scored ∇θ");
        assertEquals(dl4j.loss(theta, x, y), handWritten.loss(theta, x, y), tolerance * sb.loss(), "forward loss");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"lenet", "mlp"})
    void gradientsMatchFiniteDifferencesOfTheLossInDouble(String network) {
        ModelSpec spec = network.equals("mlp") ? ModelSpec.mlp(5, 32) : ModelSpec.lenet(5);
        LossGradients gradients = new LossGradients(network(spec, DataType.DOUBLE), Backprop.HAND_WRITTEN);
        INDArray theta = ModelZoo.classifier(spec.withSeed(13)).params().castTo(DataType.DOUBLE).reshape(gradients.numParams());
        int[] ids = IntStream.range(0, 10).toArray();
        INDArray x = withNoise(real.features(ids).castTo(DataType.DOUBLE), new Random(23));
        INDArray y = real.oneHot(ids).castTo(DataType.DOUBLE);
        LossGradients.ParamsAndInput g = gradients.paramsAndInput(theta, x, y);
        Random rnd = new Random(17);
        double h = 1e-6;
        for (int k = 0; k < 40; k++) {
            long i = rnd.nextInt((int) gradients.numParams());
            double numeric = centralDifference(theta, i, h, () -> gradients.loss(theta, x, y));
            assertWithin(g.params().getDouble(i), numeric, "∂ℓ/∂θ[" + i + "]");
        }
        for (int k = 0; k < 20; k++) {
            int r = rnd.nextInt(10);
            int c = 200 + rnd.nextInt(400);
            double original = x.getDouble(r, c);
            x.putScalar(r, c, original + h);
            double plus = gradients.loss(theta, x, y);
            x.putScalar(r, c, original - h);
            double minus = gradients.loss(theta, x, y);
            x.putScalar(r, c, original);
            assertWithin(g.input().getDouble(r, c), (plus - minus) / (2 * h), "∂ℓ/∂x[" + r + "," + c + "]");
        }
    }

    /**
     * Real images have large areas of identical pixels, where max-pooling windows hold exact ties: the loss
     * has a kink there and no finite difference can check it, so the points checked are off the ties.
     */
    private static INDArray withNoise(INDArray x, Random rnd) {
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, x.getDouble(i) + 0.05 * rnd.nextGaussian());
        }
        return x;
    }

    private static double centralDifference(INDArray theta, long i, double h, java.util.function.DoubleSupplier loss) {
        double original = theta.getDouble(i);
        theta.putScalar(i, original + h);
        double plus = loss.getAsDouble();
        theta.putScalar(i, original - h);
        double minus = loss.getAsDouble();
        theta.putScalar(i, original);
        return (plus - minus) / (2 * h);
    }

    private static void assertWithin(double analytic, double numeric, String what) {
        double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
        assertTrue(Math.abs(analytic - numeric) <= 1e-5 * scale + 1e-9,
                what + ": analytic " + analytic + " vs finite difference " + numeric);
    }

    private static MultiLayerNetwork network(ModelSpec spec, DataType type) {
        MultiLayerNetwork net = ModelZoo.classifier(spec);
        return type == DataType.FLOAT ? net : net.convertDataType(type);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertEquals(expected.length(), actual.length(), what + " length");
        INDArray e = expected.reshape(expected.length()).castTo(DataType.DOUBLE);
        INDArray a = actual.reshape(actual.length()).castTo(DataType.DOUBLE);
        double rel = e.sub(a).norm2Number().doubleValue() / e.norm2Number().doubleValue();
        double worst = e.sub(a).amaxNumber().doubleValue() / e.amaxNumber().doubleValue();
        assertTrue(rel <= tolerance && worst <= 10 * tolerance, what + ": relative difference " + rel
                + ", worst entry " + worst + " of the largest (tolerance " + tolerance + ")");
    }
}
