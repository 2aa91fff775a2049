package io.distillmesh.bench;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.train.ProgressListener;
import io.distillmesh.core.train.SupervisedTrainer;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * Is this nd4j-native build correct on this CPU, and how fast does it train? Run once per classifier
 * (bench/nd4j-variants.sh puts exactly one native variant on the classpath each time).
 */
@Command(name = "nd4j-variant", mixinStandardHelpOptions = true)
public final class Nd4jVariantBench implements Callable<Integer> {
    @Option(names = "--variant", required = true, description = "label to print (the classifier on the classpath)")
    String variant;
    @Option(names = "--repeats", defaultValue = "3")
    int repeats;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Nd4jVariantBench()).execute(args));
    }

    @Override
    public Integer call() {
        boolean correct = matmulMatchesJava() && cnnGradientCheckPasses();
        LabelledImages train = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN);
        LabelledImages mlpData = train.head(20_000);
        LabelledImages cnnData = train.head(3_000);
        double[] mlp = new double[repeats];
        double[] cnn = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            mlp[r] = samplesPerSecond(ModelSpec.mlp(1, 256), mlpData, 64);
            cnn[r] = samplesPerSecond(ModelSpec.cnn(1, 16, 32, 128), cnnData, 128);
        }
        Arrays.sort(mlp);
        Arrays.sort(cnn);
        System.out.printf("| %s | %s | %.0f | %.0f |%n", variant, correct ? "yes" : "NO", mlp[repeats / 2], cnn[repeats / 2]);
        return correct ? 0 : 1;
    }

    private static double samplesPerSecond(ModelSpec spec, LabelledImages data, int batch) {
        MultiLayerNetwork net = ModelZoo.classifier(spec);
        long start = System.nanoTime();
        new SupervisedTrainer(1, batch, 1).fit(net, data, ProgressListener.NONE);
        return data.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static boolean matmulMatchesJava() {
        Random rnd = new Random(1);
        int n = 97;
        double[][] a = new double[n][n];
        double[][] b = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = rnd.nextGaussian();
                b[i][j] = rnd.nextGaussian();
            }
        }
        INDArray c = Nd4j.createFromArray(a).castTo(DataType.FLOAT).mmul(Nd4j.createFromArray(b).castTo(DataType.FLOAT));
        double maxErr = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double expected = 0;
                for (int k = 0; k < n; k++) {
                    expected += a[i][k] * b[k][j];
                }
                maxErr = Math.max(maxErr, Math.abs(expected - c.getDouble(i, j)));
            }
        }
        return maxErr < 1e-3;
    }

    private static boolean cnnGradientCheckPasses() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2)
                    .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                    .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.TANH).build())
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutionalFlat(8, 8, 1)).build());
            net.init();
            INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 64);
            INDArray y = Nd4j.zeros(DataType.DOUBLE, 5, 4);
            for (int i = 0; i < 5; i++) {
                y.putScalar(i, i % 4, 1);
            }
            return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                    .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8));
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }
}
