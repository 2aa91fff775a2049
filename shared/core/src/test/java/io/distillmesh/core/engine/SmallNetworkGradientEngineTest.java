package io.distillmesh.core.engine;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written backprop of the small networks: it is chosen for MLPs, the LeNet and the condensation ConvNet
 * (instance normalisation, average pooling, padded convolutions), it agrees with
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
        assertEquals("hand-written", new LossGradients(ModelZoo.classifier(ModelSpec.convNet(1, 4, 3)), Backprop.HAND_WRITTEN).engine());
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
    @CsvSource({"lenet,FLOAT,1e-5", "mlp,FLOAT,1e-5", "padded,FLOAT,1e-4", "lenet,DOUBLE,1e-11",
            "mlp,DOUBLE,1e-11", "padded,DOUBLE,1e-10"})
    void gradientsAgreeWithDl4jBackprop(String network, DataType type, double tolerance) {
        LossGradients handWritten = new LossGradients(network(network, 3, type), Backprop.HAND_WRITTEN);
        LossGradients dl4j = LossGradients.dl4jBackprop(network(network, 3, type));
        INDArray theta = network(network, 9, type).params();
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
    @CsvSource({"lenet", "mlp", "convnet"})
    void gradientsMatchFiniteDifferencesOfTheLossInDouble(String network) {
        ModelSpec spec = spec(network, 5);
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

    /**
     * "padded": zero-padded and same-mode convolutions with average pooling, compared with DL4J's backprop. The
     * instance normalisation is checked against finite differences (the ConvNet) and not against DL4J, whose
     * SameDiff backprop of the layer is off by a factor of two ({@link #dl4jsInstanceNormalisationGradientIsTwiceTheTrueOne}).
     */
    private static MultiLayerNetwork network(String network, long seed, DataType type) {
        if (!network.equals("padded")) {
            return network(spec(network, seed), type);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(6).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(5)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
        net.init();
        return type == DataType.FLOAT ? net : net.convertDataType(type);
    }

    /**
     * DL4J 1.0.0-M2.1 backpropagates a SameDiff layer's (here instance normalisation's) gradient twice over: below a
     * one-block ConvNet's normalisation its gradients are exactly twice the engine's, which finite differences of the
     * shared loss confirm. So the engine, not DL4J's {@code fit}, must train networks with this layer; if a DL4J
     * release mends it, this test fails and the caveat in BENCHMARKS.md can go.
     */
    @Test
    void dl4jsInstanceNormalisationGradientIsTwiceTheTrueOne() {
        MultiLayerNetwork net = network(ModelSpec.convNet(3, 4, 1), DataType.DOUBLE);
        int[] ids = IntStream.range(0, 8).toArray();
        INDArray x = real.features(ids).castTo(DataType.DOUBLE);
        INDArray y = real.oneHot(ids).castTo(DataType.DOUBLE);
        INDArray theta = net.params().dup();
        LossGradients engine = new LossGradients(net, Backprop.HAND_WRITTEN);
        INDArray ours = engine.paramsAndInput(theta, x, y).params();
        INDArray dl4j = LossGradients.dl4jBackprop(net).paramsAndInput(theta, x, y).params();
        long below = net.getLayer(0).numParams() + net.getLayer(1).numParams();
        assertClose(dl4j.get(NDArrayIndex.interval(0, below)), ours.get(NDArrayIndex.interval(0, below)).mul(2), 1e-10,
                "DL4J's ∇ of the convolution and the normalisation");
        long last = net.numParams() - 1;
        assertClose(dl4j.get(NDArrayIndex.interval(below, last)), ours.get(NDArrayIndex.interval(below, last)), 1e-10,
                "DL4J's ∇ of the output layer");
        for (long i : new long[]{3, below - 1}) {
            double numeric = centralDifference(theta, i, 1e-6, () -> engine.loss(theta, x, y));
            assertWithin(ours.getDouble(i), numeric, "engine ∂ℓ/∂θ[" + i + "]");
        }
    }

    /** An MLP, the LeNet, or a narrow ConvNet (instance normalisation, average pooling, padded convolutions). */
    private static ModelSpec spec(String network, long seed) {
        return switch (network) {
            case "mlp" -> ModelSpec.mlp(seed, 64, 32);
            case "convnet" -> ModelSpec.convNet(seed, 6, 3);
            default -> ModelSpec.lenet(seed);
        };
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
