package io.distillmesh.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Reads a DL4J computation graph into a {@link GraphPass}, or names what the engine cannot train in it. Covered:
 * one input (flat rows, or images through DL4J's feed-forward-to-CNN preprocessor), NCHW convolutions with or
 * without bias (any stride; unpadded, zero-padded or {@code Same} mode) and ReLU or identity activations, batch normalisation
 * (NCHW or rows, learned γ and β), ReLU activation layers, residual additions, global average pooling, dense layers,
 * and one output layer with softmax cross-entropy or the Hinton loss: the project's residual networks.
 */
final class GraphLayout {
    private GraphLayout() {
    }

    /** The pass, or the reason there is none. */
    record Result(GraphPass pass, String unsupported) {
        static Result no(String reason) {
            return new Result(null, reason);
        }
    }

    static Result read(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1) {
            return Result.no("it has " + conf.getNetworkInputs().size() + " inputs (one only)");
        }
        List<String> outputNames = conf.getNetworkOutputs();
        boolean blocked = blockedLayoutFits(graph);
        Map<String, Integer> index = new HashMap<>();
        index.put(conf.getNetworkInputs().get(0), GraphPass.NETWORK_INPUT);
        List<GraphPass.Node> nodes = new ArrayList<>();
        Map<String, GraphPass.GraphLoss> losses = new HashMap<>();
        long[] sampleShape = null;
        for (int v : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[v].getVertexName();
            if (index.containsKey(name)) {
                continue;
            }
            int[] inputs = conf.getVertexInputs().get(name).stream().mapToInt(index::get).toArray();
            GraphVertex vertex = conf.getVertices().get(name);
            GraphPass.Node node;
            if (vertex instanceof ElementWiseVertex sum) {
                if (sum.getOp() != ElementWiseVertex.Op.Add) {
                    return Result.no("vertex " + name + " is an element-wise " + sum.getOp() + " (Add only)");
                }
                node = new GraphPass.Node(name, GraphPass.Kind.ADD, null, false, inputs);
            } else if (vertex instanceof MergeVertex) {
                node = new GraphPass.Node(name, GraphPass.Kind.MERGE, null, false, inputs);
            } else if (vertex instanceof LayerVertex layerVertex) {
                Layer layer = layerVertex.getLayerConf().getLayer();
                InputPreProcessor pre = layerVertex.getPreProcessor();
                boolean flatten = false;
                if (pre instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NCHW) {
                    flatten = true;
                } else if (pre != null) {
                    if (!(pre instanceof FeedForwardToCnnPreProcessor f) || sampleShape != null
                            || !Arrays.equals(inputs, new int[]{GraphPass.NETWORK_INPUT})) {
                        return Result.no("vertex " + name + " has the input preprocessor " + pre);
                    }
                    sampleShape = new long[]{f.getNumChannels(), f.getInputHeight(), f.getInputWidth()};
                }
                String settings = LayerSettings.unsupported("vertex " + name, layer, false);
                if (settings != null) {
                    return Result.no(settings);
                }
                LayerPass pass;
                if (outputNames.contains(name)) {
                    Output output = output(graph, name, layer);
                    if (output == null) {
                        return Result.no("the output vertex " + name + " is not an output layer with a bias and "
                                + "softmax cross-entropy or the Hinton loss, nor a loss layer without activation");
                    }
                    pass = output.pass();
                    losses.put(name, output.loss());
                } else {
                    pass = pass(graph, name, layer, blocked);
                    if (pass == null) {
                        return Result.no("vertex " + name + " is a " + layer.getClass().getSimpleName()
                                + " the engine's layer passes do not cover with its settings");
                    }
                }
                node = GraphPass.Node.layer(name, pass, flatten, inputs[0]);
            } else {
                return Result.no("vertex " + name + " is a " + vertex.getClass().getSimpleName());
            }
            index.put(name, nodes.size());
            nodes.add(node);
        }
        List<GraphPass.Output> outputs = new ArrayList<>();
        for (String name : outputNames) {
            if (!losses.containsKey(name)) {
                return Result.no("the output vertex " + name + " is not a layer");
            }
            outputs.add(new GraphPass.Output(index.get(name), losses.get(name)));
        }
        return new Result(new GraphPass(nodes, outputs, sampleShape, blocked), null);
    }

    /**
     * Whether the graph's maps can stay in oneDNN's blocked layout from layer to layer (no reorders to NCHW and back
     * around every convolution): float parameters on oneDNN, convolutions of whole blocks of channels, and
     * between the first convolution and the global pooling only layers that read that layout (batch normalisation,
     * ReLU, residual additions of inputs in the same layout); no concatenation, flattening or loss layer.
     */
    private static boolean blockedLayoutFits(ComputationGraph graph) {
        if (graph.params().dataType() != DataType.FLOAT || !OneDnn.serves(DataType.FLOAT)) {
            return false;
        }
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, Boolean> blockedOutput = new HashMap<>();
        blockedOutput.put(conf.getNetworkInputs().get(0), false);
        for (int v : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[v].getVertexName();
            if (blockedOutput.containsKey(name)) {
                continue;
            }
            List<String> inputs = conf.getVertexInputs().get(name);
            GraphVertex vertex = conf.getVertices().get(name);
            if (vertex instanceof ElementWiseVertex) {
                if (inputs.stream().map(blockedOutput::get).distinct().count() != 1) {
                    return false;
                }
                blockedOutput.put(name, blockedOutput.get(inputs.get(0)));
                continue;
            }
            if (!(vertex instanceof LayerVertex layerVertex)
                    || layerVertex.getPreProcessor() instanceof CnnToFeedForwardPreProcessor) {
                return false;
            }
            Layer layer = layerVertex.getLayerConf().getLayer();
            boolean in = blockedOutput.get(inputs.get(0));
            if (layer instanceof ConvolutionLayer c && layer.getClass() == ConvolutionLayer.class) {
                if (c.getNOut() % OneDnn.BLOCK != 0) {
                    return false;
                }
                blockedOutput.put(name, true);
            } else if (layer.getClass() == BatchNormalization.class || layer.getClass() == ActivationLayer.class) {
                blockedOutput.put(name, in);
            } else if (layer.getClass() == GlobalPoolingLayer.class || layer.getClass() == DenseLayer.class
                    || layer.getClass() == OutputLayer.class) {
                blockedOutput.put(name, false);
            } else {
                return false;
            }
        }
        return blockedOutput.containsValue(true);
    }

    private record Output(LayerPass pass, GraphPass.GraphLoss loss) {
    }

    /**
     * An output layer with a bias and softmax cross-entropy or the Hinton loss (the engine's own loss loops), or a
     * loss layer without activation whose DL4J loss function the engine calls; null for any other.
     */
    private static Output output(ComputationGraph graph, String name, Layer layer) {
        if (layer.getClass() == OutputLayer.class) {
            OutputLayer out = (OutputLayer) layer;
            OutputLoss loss = out.hasBias() ? OutputLoss.of(out, (int) out.getNOut()) : null;
            return loss == null ? null : new Output(new DensePass(slot(graph, name, "W"), slot(graph, name, "b"), false),
                    GraphPass.GraphLoss.of(loss));
        }
        if (layer.getClass() == LossLayer.class && ((LossLayer) layer).getActivationFn() instanceof ActivationIdentity) {
            LossLayer loss = (LossLayer) layer;
            return new Output(new IdentityPass(), GraphPass.GraphLoss.of(loss.getLossFn(), loss.getActivationFn()));
        }
        return null;
    }

    private static LayerPass pass(ComputationGraph graph, String name, Layer layer, boolean blocked) {
        if (layer.getClass() == ConvolutionLayer.class) {
            ConvolutionLayer c = (ConvolutionLayer) layer;
            Boolean relu = SmallNetworkLayers.relu(c.getActivationFn());
            boolean readable = relu != null && c.getCnn2dDataFormat() == CNN2DFormat.NCHW
                    && c.getDilation()[0] == 1 && c.getDilation()[1] == 1
                    && c.getConvolutionMode() != ConvolutionMode.Causal;
            boolean same = c.getConvolutionMode() == ConvolutionMode.Same;
            return readable ? new ConvolutionPass(slot(graph, name, "W"), c.hasBias() ? slot(graph, name, "b") : null,
                    c.getStride()[0],
                    c.getStride()[1], same ? 0 : c.getPadding()[0], same ? 0 : c.getPadding()[1], same, relu, blocked)
                    : null;
        }
        if (layer.getClass() == BatchNormalization.class) {
            BatchNormalization b = (BatchNormalization) layer;
            // DL4J's batch normalisation layer never applies the activation its configuration names (by default
            // the network's, e.g. sigmoid), so neither does the engine
            boolean readable = !b.isLockGammaBeta() && b.getCnn2DFormat() == CNN2DFormat.NCHW && b.isMinibatch();
            String spread = b.isUseLogStd() ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                    : BatchNormalizationParamInitializer.GLOBAL_VAR;
            FlatKernels<?> kernels = graph.params().dataType() == DataType.FLOAT ? new FloatKernels() : new DoubleKernels();
            return readable ? new BatchNormPass<>(kernels, slot(graph, name, BatchNormalizationParamInitializer.GAMMA),
                    slot(graph, name, BatchNormalizationParamInitializer.BETA),
                    slot(graph, name, BatchNormalizationParamInitializer.GLOBAL_MEAN), slot(graph, name, spread),
                    b.isUseLogStd(), b.getEps(), b.getDecay()) : null;
        }
        if (layer.getClass() == ActivationLayer.class) {
            return Boolean.TRUE.equals(SmallNetworkLayers.relu(((ActivationLayer) layer).getActivationFn())) ? new ReluPass() : null;
        }
        if (layer.getClass() == GlobalPoolingLayer.class) {
            GlobalPoolingLayer p = (GlobalPoolingLayer) layer;
            int[] dims = p.getPoolingDimensions();
            boolean readable = p.getPoolingType() == PoolingType.AVG && p.isCollapseDimensions()
                    && (dims == null || Arrays.equals(dims, new int[]{2, 3}));
            return readable ? new GlobalAveragePoolingPass() : null;
        }
        if (layer.getClass() == DenseLayer.class) {
            DenseLayer d = (DenseLayer) layer;
            Boolean relu = SmallNetworkLayers.relu(d.getActivationFn());
            return d.hasBias() && !d.hasLayerNorm() && relu != null
                    ? new DensePass(slot(graph, name, "W"), slot(graph, name, "b"), relu) : null;
        }
        return null;
    }

    private static ParameterSlot slot(ComputationGraph graph, String vertex, String name) {
        return ParameterSlot.of(graph.getLayer(vertex).getParam(name), graph.params());
    }
}
