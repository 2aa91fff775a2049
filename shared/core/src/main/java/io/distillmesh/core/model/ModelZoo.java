package io.distillmesh.core.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Networks for 28x28x1 inputs given as flat rows of 784 values. Every network ends in a
 * linear output layer whose loss decides the activation: softmax + cross-entropy for plain
 * training, identity + {@link io.distillmesh.core.loss.KnowledgeDistillationLoss} for students.
 */
public final class ModelZoo {
    private ModelZoo() {
    }

    public static MultiLayerNetwork build(ModelSpec spec, ILossFunction loss, Activation outputActivation) {
        return build(spec, loss, outputActivation, new Adam(spec.learningRate()), 0);
    }

    /**
     * A softmax cross-entropy classifier trained by {@code updater} with L2 regularisation {@code l2} on weights
     * and biases (PyTorch's SGD {@code weight_decay}), e.g. the condensation papers' evaluation schedule.
     */
    public static MultiLayerNetwork classifier(ModelSpec spec, IUpdater updater, double l2) {
        return build(spec, new LossMCXENT(), Activation.SOFTMAX, updater, l2);
    }

    private static MultiLayerNetwork build(ModelSpec spec, ILossFunction loss, Activation outputActivation,
                                           IUpdater updater, double l2) {
        NeuralNetConfiguration.ListBuilder list = base(spec, updater, l2);
        MultiLayerConfiguration conf = switch (spec.architecture()) {
            case MLP -> mlp(list, spec, loss, outputActivation);
            case CNN -> cnn(list, spec, loss, outputActivation);
            case CONVNET -> convNet(list, spec, loss, outputActivation);
        };
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A network trained on hard labels only (softmax + cross-entropy). */
    public static MultiLayerNetwork classifier(ModelSpec spec) {
        return build(spec, new LossMCXENT(), Activation.SOFTMAX);
    }

    /** A residual network (see {@link ResidualNetworks}) whose output layer has the given loss and activation. */
    public static ComputationGraph resnet(ResNetSpec spec, ILossFunction loss, Activation outputActivation) {
        return ResidualNetworks.classifier(spec, loss, outputActivation);
    }

    /** A residual network trained on hard labels only (softmax + cross-entropy). */
    public static ComputationGraph resnetClassifier(ResNetSpec spec) {
        return resnet(spec, new LossMCXENT(), Activation.SOFTMAX);
    }

    private static NeuralNetConfiguration.ListBuilder base(ModelSpec spec, IUpdater updater, double l2) {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .updater(updater)
                .weightInit(WeightInit.RELU);
        if (l2 > 0) {
            builder.l2(l2).l2Bias(l2);
        }
        return builder.list();
    }

    private static MultiLayerConfiguration mlp(NeuralNetConfiguration.ListBuilder list, ModelSpec spec,
                                                  ILossFunction loss, Activation outputActivation) {
        int in = ModelSpec.INPUT_FEATURES;
        for (int width : spec.hidden()) {
            DenseLayer.Builder layer = new DenseLayer.Builder().nIn(in).nOut(width).activation(Activation.RELU);
            if (spec.dropout() > 0) {
                layer.dropOut(1.0 - spec.dropout());
            }
            list.layer(layer.build());
            in = width;
        }
        list.layer(new OutputLayer.Builder(loss).nIn(in).nOut(spec.numClasses())
                .activation(outputActivation).weightInit(WeightInit.XAVIER).build());
        return list.build();
    }

    /** LeNet-style: conv5x5 → maxpool → conv5x5 → maxpool → dense → output. */
    private static MultiLayerConfiguration cnn(NeuralNetConfiguration.ListBuilder list, ModelSpec spec,
                                                  ILossFunction loss, Activation outputActivation) {
        int[] ch = spec.channels();
        list.layer(new ConvolutionLayer.Builder(5, 5).nOut(ch[0]).activation(Activation.RELU).build());
        list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
        list.layer(new ConvolutionLayer.Builder(5, 5).nOut(ch[1]).activation(Activation.RELU).build());
        list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
        for (int width : spec.hidden()) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nOut(width).activation(Activation.RELU);
            if (spec.dropout() > 0) {
                dense.dropOut(1.0 - spec.dropout());
            }
            list.layer(dense.build());
        }
        list.layer(new OutputLayer.Builder(loss).nOut(spec.numClasses())
                .activation(outputActivation).weightInit(WeightInit.XAVIER).build());
        list.setInputType(InputType.convolutionalFlat(28, 28, 1));
        return list.build();
    }

    /** The condensation papers' ConvNet: per block conv3x3 (pad 1) → instance norm → ReLU → avgpool 2, then linear. */
    private static MultiLayerConfiguration convNet(NeuralNetConfiguration.ListBuilder list, ModelSpec spec,
                                                  ILossFunction loss, Activation outputActivation) {
        for (int width : spec.channels()) {
            list.layer(new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(width).activation(Activation.IDENTITY)
                    .build());
            list.layer(new InstanceNormalization());
            list.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
            list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2)
                    .build());
        }
        list.layer(new OutputLayer.Builder(loss).nOut(spec.numClasses())
                .activation(outputActivation).weightInit(WeightInit.XAVIER).build());
        list.setInputType(InputType.convolutionalFlat(28, 28, 1));
        return list.build();
    }
}
