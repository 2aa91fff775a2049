package io.distillmesh.core.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds {@link ResNetSpec} networks as DL4J computation graphs. Vertex names are the same in every member of
 * the family, so a teacher and a student can be matched by name: {@code stem}, {@code s<k>b<b>_conv1},
 * {@code s<k>b<b>_conv2}, {@code s<k>b<b>_proj} (shortcut projection), {@code s<k>b<b>_add}, the block outputs
 * {@code s<k>b<b>_out} except the last block of stage k, whose output is {@code stage<k>}; then {@code pool}
 * and {@code output}. Stages are numbered from 1. With batch normalisation a named convolution {@code v} becomes
 * {@code v_conv} then {@code v_bn} then the ReLU {@code v} (or, without activation, {@code v_conv} then the batch
 * normalisation {@code v}): the named vertices keep their meaning.
 */
public final class ResidualNetworks {
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    /** The global average pooling vertex that feeds {@link #OUTPUT}. */
    public static final String POOL = "pool";
    private static final Pattern STAGE_VERTEX = Pattern.compile("stage(\\d)|s(\\d)b\\d+_(conv1|conv2|proj|add|out)");

    private ResidualNetworks() {
    }

    /** The whole classifier: body, global average pooling, and an output layer with the given loss. */
    public static ComputationGraph classifier(ResNetSpec spec, ILossFunction loss, Activation outputActivation) {
        ComputationGraphConfiguration.GraphBuilder graph = body(spec, spec.stages());
        graph.addLayer(POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), stageExit(spec.stages()));
        graph.addLayer(OUTPUT, new OutputLayer.Builder(loss).nOut(spec.numClasses()).activation(outputActivation)
                .weightInit(WeightInit.XAVIER).build(), POOL);
        graph.setOutputs(OUTPUT);
        ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        return net;
    }

    /**
     * The input, stem and the first {@code stages} stages, without outputs; the caller adds heads and sets the
     * outputs. Input: flat rows of 784 pixels.
     */
    public static ComputationGraphConfiguration.GraphBuilder body(ResNetSpec spec, int stages) {
        if (stages < 1 || stages > spec.stages()) {
            throw new IllegalArgumentException("stages must be in [1, " + spec.stages() + "], got " + stages);
        }
        IUpdater updater = spec.momentum() > 0 ? new Nesterovs(spec.learningRate(), spec.momentum())
                : new Adam(spec.learningRate());
        NeuralNetConfiguration.Builder conf = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .updater(updater)
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same);
        if (spec.l2() > 0) {
            conf.l2(spec.l2());
        }
        ComputationGraphConfiguration.GraphBuilder graph = conf
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutionalFlat(28, 28, 1));
        int[] widths = spec.widths();
        int[] blocks = spec.blocksPerStage();
        Convolutions convolutions = new Convolutions(graph, spec.batchNorm());
        convolutions.add("stem", 3, spec.stemStride(), widths[0], Activation.RELU, INPUT);
        String previous = "stem";
        int previousWidth = widths[0];
        for (int k = 1; k <= stages; k++) {
            for (int b = 0; b < blocks[k - 1]; b++) {
                int stride = k > 1 && b == 0 ? 2 : 1;
                int width = widths[k - 1];
                String prefix = "s" + k + "b" + b + "_";
                convolutions.add(prefix + "conv1", 3, stride, width, Activation.RELU, previous);
                convolutions.add(prefix + "conv2", 3, 1, width, Activation.IDENTITY, prefix + "conv1");
                String shortcut = previous;
                if (stride != 1 || previousWidth != width) {
                    shortcut = prefix + "proj";
                    convolutions.add(shortcut, 1, stride, width, Activation.IDENTITY, previous);
                }
                graph.addVertex(prefix + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), prefix + "conv2", shortcut);
                String out = b == blocks[k - 1] - 1 ? stageExit(k) : prefix + "out";
                graph.addLayer(out, new ActivationLayer.Builder().activation(Activation.RELU).build(), prefix + "add");
                previous = out;
                previousWidth = width;
            }
        }
        return graph;
    }

    /** The output layer's pre-activation from a forward pass's activations ({@code graph.feedForward}). */
    public static INDArray logits(ComputationGraph graph, Map<String, INDArray> activations) {
        INDArray pooled = activations.get(POOL);
        if (pooled == null) {
            throw new IllegalArgumentException("not a network of this family: it has no '" + POOL + "' vertex");
        }
        Layer output = graph.getLayer(OUTPUT);
        return pooled.mmul(output.getParam("W")).addiRowVector(output.getParam("b"));
    }

    /** The first feature map of stage k at the stage's spatial size: the stem for stage 1, else the first convolution. */
    public static String stageEntry(int stage) {
        return stage == 1 ? "stem" : "s" + stage + "b0_conv1";
    }

    /** The output of stage k (after the last block's ReLU). */
    public static String stageExit(int stage) {
        return "stage" + stage;
    }

    /** The stage a vertex of the body belongs to (the stem belongs to stage 1). */
    public static int stageOf(String vertex) {
        Matcher m = STAGE_VERTEX.matcher(vertex);
        if (vertex.equals("stem")) {
            return 1;
        }
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + vertex + "' is not a feature map of a residual network's body"
                    + " (stem, stage<k>, s<k>b<b>_conv1|conv2|proj|add|out)");
        }
        return Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
    }

    /** Channels and side length of a body vertex's feature map (see {@link ResNetSpec#side}). */
    public static long[] featureShape(ResNetSpec spec, String vertex) {
        int stage = stageOf(vertex);
        if (stage > spec.stages()) {
            throw new IllegalArgumentException("'" + vertex + "' is in stage " + stage + " but " + spec.describe()
                    + " has " + spec.stages());
        }
        if (vertex.startsWith("s")  && !vertex.startsWith("stage") && !vertex.equals("stem")) {
            int block = Integer.parseInt(vertex.substring(vertex.indexOf('b') + 1, vertex.indexOf('_')));
            if (block >= spec.blocksPerStage()[stage - 1]) {
                throw new IllegalArgumentException("'" + vertex + "': stage " + stage + " of " + spec.describe()
                        + " has " + spec.blocksPerStage()[stage - 1] + " blocks");
            }
        }
        return new long[]{spec.widths()[stage - 1], spec.side(stage)};
    }

    /** Adds the body's convolutions, each with batch normalisation where the spec has it. */
    private record Convolutions(ComputationGraphConfiguration.GraphBuilder graph, boolean batchNorm) {
        void add(String name, int kernel, int stride, int nOut, Activation activation, String input) {
            if (!batchNorm) {
                graph.addLayer(name, conv(kernel, stride, nOut, activation, true), input);
                return;
            }
            // no bias: batch normalisation subtracts any per-channel offset
            graph.addLayer(name + "_conv", conv(kernel, stride, nOut, Activation.IDENTITY, false), input);
            BatchNormalization norm = new BatchNormalization.Builder().activation(Activation.IDENTITY).build();
            if (activation == Activation.IDENTITY) {
                graph.addLayer(name, norm, name + "_conv");
            } else {
                graph.addLayer(name + "_bn", norm, name + "_conv");
                graph.addLayer(name, new ActivationLayer.Builder().activation(activation).build(), name + "_bn");
            }
        }

        private static ConvolutionLayer conv(int kernel, int stride, int nOut, Activation activation, boolean bias) {
            return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(nOut).hasBias(bias)
                    .activation(activation).build();
        }
    }
}
