package io.distillmesh.core.engine;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.InstanceNormalization;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact Hessian-vector products (R-operator through the hand-written backprop) in double precision: against
 * central differences of the gradients on networks whose activations are smooth (identity; max pooling away from
 * ties) to 1e-6, and on ReLU networks at a point where no difference crosses a kink; symmetric (u·Hv = v·Hu); float
 * close to double; and refused, with finite differences instead, where the backprop is DL4J's.
 */
class ExactHessianVectorProductTest {
    private static final int ROWS = 12;
    private static LabelledImages real;

    @BeforeAll
    static void load() {
        real = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST).head(ROWS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"smooth-mlp,1e-4,1e-6", "smooth-cnn,1e-4,1e-6", "relu-mlp,1e-4,1e-6", "lenet,1e-4,1e-5",
            "smooth-convnet,1e-4,1e-6", "convnet,1e-4,1e-5"})
    void equalsCentralDifferencesOfTheGradients(String network, double h, double tolerance) {
        LossGradients gradients = new LossGradients(network(network, DataType.DOUBLE), Backprop.HAND_WRITTEN);
        assertTrue(gradients.hasExactHessianVectorProducts());
        INDArray theta = gradients.network().params().dup().reshape(gradients.numParams());
        INDArray x = inputs(DataType.DOUBLE);
        INDArray y = real.oneHot(IntStream.range(0, ROWS).toArray()).castTo(DataType.DOUBLE);
        INDArray v = direction(gradients.numParams(), 5, DataType.DOUBLE);

        LossGradients.ParamsAndInput exact = gradients.hessianVectorProduct(theta, v, x, y);
        LossGradients.ParamsAndInput plus = gradients.paramsAndInput(theta.add(v.mul(h)), x, y);
        LossGradients.ParamsAndInput minus = gradients.paramsAndInput(theta.sub(v.mul(h)), x, y);
        INDArray hv = plus.params().sub(minus.params()).divi(2 * h);
        INDArray mixed = plus.input().sub(minus.input()).divi(2 * h);

        assertClose(hv, exact.params(), tolerance, network + " Hv");
        assertClose(mixed, exact.input(), tolerance, network + " ∂/∂ε ∇x");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"relu-mlp", "lenet", "smooth-cnn", "convnet"})
    void isSymmetric(String network) {
        LossGradients gradients = new LossGradients(network(network, DataType.DOUBLE), Backprop.HAND_WRITTEN);
        INDArray theta = gradients.network().params().dup().reshape(gradients.numParams());
        INDArray x = inputs(DataType.DOUBLE);
        INDArray y = real.oneHot(IntStream.range(0, ROWS).toArray()).castTo(DataType.DOUBLE);
        INDArray u = direction(gradients.numParams(), 1, DataType.DOUBLE);
        INDArray v = direction(gradients.numParams(), 2, DataType.DOUBLE);
        double uHv = u.mul(gradients.hessianVectorProduct(theta, v, x, y).params()).sumNumber().doubleValue();
        double vHu = v.mul(gradients.hessianVectorProduct(theta, u, x, y).params()).sumNumber().doubleValue();
        assertTrue(Math.abs(uHv) > 1e-8, "u·Hv suspiciously small: " + uHv);
        assertEquals(uHv, vHu, 1e-10 * Math.abs(uHv), "u·Hv vs v·Hu");
    }

    @Test
    void floatAgreesWithDouble() {
        LossGradients inDouble = new LossGradients(network("lenet", DataType.DOUBLE), Backprop.HAND_WRITTEN);
        LossGradients inFloat = new LossGradients(network("lenet", DataType.FLOAT), Backprop.HAND_WRITTEN);
        INDArray theta = inDouble.network().params().dup().reshape(inDouble.numParams());
        INDArray x = inputs(DataType.DOUBLE);
        INDArray y = real.oneHot(IntStream.range(0, ROWS).toArray()).castTo(DataType.DOUBLE);
        INDArray v = direction(inDouble.numParams(), 3, DataType.DOUBLE);
        LossGradients.ParamsAndInput d = inDouble.hessianVectorProduct(theta, v, x, y);
        LossGradients.ParamsAndInput f = inFloat.hessianVectorProduct(theta.castTo(DataType.FLOAT),
                v.castTo(DataType.FLOAT), x.castTo(DataType.FLOAT), y.castTo(DataType.FLOAT));
        assertEquals(DataType.FLOAT, f.params().dataType());
        assertClose(d.params(), f.params(), 1e-4, "float Hv");
        assertClose(d.input(), f.input(), 1e-4, "float ∂/∂ε ∇x");
    }

    @Test
    void dl4jBackpropHasNoneAndTheProductFallsBackToFiniteDifferences() {
        LossGradients dl4j = LossGradients.dl4jBackprop(network("lenet", DataType.DOUBLE));
        assertFalse(dl4j.hasExactHessianVectorProducts());
        INDArray theta = dl4j.network().params().dup().reshape(dl4j.numParams());
        INDArray x = inputs(DataType.DOUBLE);
        INDArray y = real.oneHot(IntStream.range(0, ROWS).toArray()).castTo(DataType.DOUBLE);
        INDArray v = direction(dl4j.numParams(), 4, DataType.DOUBLE);
        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                () -> dl4j.hessianVectorProduct(theta, v, x, y));
        assertTrue(refused.getMessage().contains("no exact Hessian-vector products"), refused.getMessage());

        HessianVectorProduct fallback = new HessianVectorProduct(dl4j, HvpSettings.exact());
        assertFalse(fallback.exact());
        HessianVectorProduct.Estimate estimate = fallback.along(theta, v, x, y, dl4j.paramsAndInput(theta, x, y));
        assertTrue(estimate.kind() != HessianVectorProduct.Kind.EXACT && estimate.passes() >= 2, estimate.kind().name());

        LossGradients handWritten = new LossGradients(network("lenet", DataType.DOUBLE), Backprop.HAND_WRITTEN);
        HessianVectorProduct exact = new HessianVectorProduct(handWritten, HvpSettings.exact());
        assertTrue(exact.exact());
        HessianVectorProduct.Estimate e = exact.along(theta, v, x, y, null);
        assertEquals(HessianVectorProduct.Kind.EXACT, e.kind());
        assertClose(estimate.params(), e.params(), 1e-3, "exact vs DL4J's finite differences");
        assertFalse(new HessianVectorProduct(handWritten, HvpSettings.guarded(1e-4)).exact());
    }

    /** Noise keeps max-pooling windows of real images (flat areas) off exact ties, where the loss has kinks. */
    private static INDArray inputs(DataType type) {
        INDArray x = real.features(IntStream.range(0, ROWS).toArray()).castTo(DataType.DOUBLE);
        Random rnd = new Random(23);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, x.getDouble(i) + 0.05 * rnd.nextGaussian());
        }
        return x.castTo(type);
    }

    private static INDArray direction(long n, long seed, DataType type) {
        INDArray v = Nd4j.getRandomFactory().getNewRandomInstance(seed).nextGaussian(new long[]{n}).castTo(DataType.DOUBLE);
        return v.divi(v.norm2Number()).castTo(type);
    }

    private static MultiLayerNetwork network(String name, DataType type) {
        MultiLayerNetwork net = switch (name) {
            case "relu-mlp" -> ModelZoo.classifier(ModelSpec.mlp(3, 32, 16));
            case "lenet" -> ModelZoo.classifier(ModelSpec.lenet(3));
            case "smooth-mlp" -> built(new NeuralNetConfiguration.Builder().seed(5).weightInit(WeightInit.XAVIER).list()
                    .layer(new DenseLayer.Builder().nIn(784).nOut(16).activation(Activation.IDENTITY).build())
                    .layer(new DenseLayer.Builder().nOut(12).activation(Activation.IDENTITY).build())
                    .layer(output()).setInputType(InputType.feedForward(784)).build());
            case "smooth-cnn" -> built(new NeuralNetConfiguration.Builder().seed(5).weightInit(WeightInit.XAVIER).list()
                    .layer(new ConvolutionLayer.Builder(5, 5).nOut(4).activation(Activation.IDENTITY).build())
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(6).activation(Activation.IDENTITY).build())
                    .layer(new DenseLayer.Builder().nOut(8).activation(Activation.IDENTITY).build())
                    .layer(output()).setInputType(InputType.convolutionalFlat(28, 28, 1)).build());
            case "convnet" -> ModelZoo.classifier(ModelSpec.convNet(3, 4, 3));
            case "smooth-convnet" -> built(new NeuralNetConfiguration.Builder().seed(5).weightInit(WeightInit.XAVIER).list()
                    .layer(new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(3).activation(Activation.IDENTITY).build())
                    .layer(new InstanceNormalization())
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(4).activation(Activation.IDENTITY).build())
                    .layer(new InstanceNormalization())
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                    .layer(output()).setInputType(InputType.convolutionalFlat(28, 28, 1)).build());
            default -> throw new IllegalArgumentException(name);
        };
        return type == DataType.FLOAT ? net : net.convertDataType(type);
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build();
    }

    private static MultiLayerNetwork built(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        INDArray e = expected.reshape(expected.length()).castTo(DataType.DOUBLE);
        INDArray a = actual.reshape(actual.length()).castTo(DataType.DOUBLE);
        double norm = e.norm2Number().doubleValue();
        double rel = e.sub(a).norm2Number().doubleValue() / norm;
        assertTrue(norm > 1e-8, what + " is suspiciously small: " + norm);
        assertTrue(rel <= tolerance, what + ": relative difference " + rel + " (tolerance " + tolerance + ")");
    }
}
