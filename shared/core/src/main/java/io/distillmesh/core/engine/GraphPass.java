package io.distillmesh.core.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Forward and backward through a DL4J computation graph read into {@link LayerPass}es, element-wise sums and
 * channel concatenations, in topological order; a vertex whose output feeds several others gets the sum of their
 * gradients. Each network output has its loss; the network's loss is their sum, as DL4J scores several outputs.
 */
final class GraphPass {
    /** The network's input, as a node's input index. */
    static final int NETWORK_INPUT = -1;

    /** What a vertex does with its inputs. */
    enum Kind {
        /** A layer pass on its one input (flattened first where DL4J's CNN-to-feed-forward preprocessor is). */
        LAYER,
        /** The element-wise sum of its inputs (a residual addition). */
        ADD,
        /** Its inputs concatenated along dimension 1 (channels). */
        MERGE
    }

    /** One vertex; {@code pass} for layers only. */
    record Node(String name, Kind kind, LayerPass pass, boolean flattenInput, int[] inputs) {
        static Node layer(String name, LayerPass pass, boolean flattenInput, int input) {
            return new Node(name, Kind.LAYER, pass, flattenInput, new int[]{input});
        }
    }

    /** A network output: the node whose output it is, and its loss. */
    record Output(int node, GraphLoss loss) {
    }

    private final List<Node> nodes;
    private final List<Output> outputs;
    private final long[] sampleShape;
    private final boolean blockedLayout;

    /** {@code sampleShape}: one sample's shape as the first layers take it (e.g. [1, 28, 28]); null to keep rows flat. */
    GraphPass(List<Node> nodes, List<Output> outputs, long[] sampleShape, boolean blockedLayout) {
        this.nodes = List.copyOf(nodes);
        this.outputs = List.copyOf(outputs);
        this.sampleShape = sampleShape == null ? null : sampleShape.clone();
        this.blockedLayout = blockedLayout;
    }

    /** Whether the maps stay in oneDNN's blocked layout between layers ({@link OneDnn#isBlocked}). */
    boolean blockedLayout() {
        return blockedLayout;
    }

    int outputCount() {
        return outputs.size();
    }

    /** The first output's pre-activations for {@code features} at parameters θ, in inference mode. */
    INDArray logits(INDArray theta, INDArray features) {
        return logitsAndOutputs(theta, features, new int[0])[0];
    }

    /** The index of the vertex named {@code name}, or −1 where the graph has none. */
    int nodeIndex(String name) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * In inference mode, one pass: the first output's pre-activations, then the outputs of the vertices at
     * {@code indices} ({@link #nodeIndex}), copies the caller owns.
     */
    INDArray[] logitsAndOutputs(INDArray theta, INDArray features, int[] indices) {
        // in a workspace, as training's pass: freed activations of fresh arrays stay with glibc (7 GB for a ResNet-8
        // over Fashion-MNIST's training set in batches of 1,000, against 0.5 GB this way)
        try (MemoryWorkspace ignored = PassWorkspace.GRAPH_LOGITS.open()) {
            Forward forward = forward(theta, features, false);
            INDArray[] result = new INDArray[indices.length + 1];
            result[0] = outsideWorkspace(forward.outputs[outputs.get(0).node()]);
            for (int k = 0; k < indices.length; k++) {
                result[k + 1] = outsideWorkspace(forward.outputs[indices[k]]);
            }
            return result;
        }
    }

    /** A copy outside the pass's workspace, and in NCHW where the pass kept the maps blocked. */
    private static INDArray outsideWorkspace(INDArray a) {
        if (OneDnn.isBlocked(a)) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return OneDnn.toNchw(a);
            }
        }
        return a.isAttached() ? a.detach() : a.dup();
    }

    /**
     * Writes the gradient of the batch mean loss (summed over the outputs) in training mode into {@code gradient}
     * (θ's layout; batch normalisation's running statistics get their update there) and answers that loss.
     */
    double lossAndGradient(INDArray theta, INDArray features, INDArray[] labels, INDArray gradient) {
        if (labels.length != outputs.size()) {
            throw new IllegalArgumentException("the network has " + outputs.size() + " outputs, got labels for "
                    + labels.length);
        }
        Forward forward = forward(theta, features, true);
        INDArray[] gradients = new INDArray[nodes.size()];
        List<INDArray> spent = new ArrayList<>();
        double value = 0;
        for (int k = 0; k < outputs.size(); k++) {
            Output output = outputs.get(k);
            INDArray[] outputGradient = new INDArray[1];
            value += output.loss().lossAndGradient(forward.outputs[output.node()], labels[k], outputGradient);
            accumulate(gradients, output.node(), outputGradient[0], spent);
        }
        for (int i = nodes.size() - 1; i >= 0; i--) {
            INDArray g = gradients[i];
            if (g == null) {
                continue;
            }
            Node node = nodes.get(i);
            switch (node.kind()) {
                case ADD -> {
                    for (int input : node.inputs()) {
                        accumulate(gradients, input, g, spent);
                    }
                }
                case MERGE -> {
                    long from = 0;
                    for (int input : node.inputs()) {
                        long channels = input(forward, null, input).size(1);
                        INDArray slice = g.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + channels))
                                .dup('c');
                        accumulate(gradients, input, slice, spent);
                        from += channels;
                    }
                }
                case LAYER -> {
                    int input = node.inputs()[0];
                    INDArray inputGradient = node.pass().backward(theta, forward.activations[i], g, gradient,
                            input != NETWORK_INPUT);
                    if (inputGradient != null && node.flattenInput()) {
                        inputGradient = inputGradient.reshape('c', forward.inputShapes[i]);
                    }
                    accumulate(gradients, input, inputGradient, spent);
                }
            }
            spent.add(g);
        }
        OffHeap.release(spent.toArray(INDArray[]::new));
        forward.release();
        return value;
    }

    /** Adds {@code g} to the gradient of vertex {@code input}; what is no longer needed goes to {@code spent}. */
    private static void accumulate(INDArray[] gradients, int input, INDArray g, List<INDArray> spent) {
        if (g == null) {
            return;
        }
        if (input == NETWORK_INPUT) {
            spent.add(g);
        } else if (gradients[input] == null) {
            gradients[input] = g;
        } else {
            spent.add(gradients[input]);
            spent.add(g);
            gradients[input] = gradients[input].add(g);
        }
    }

    private Forward forward(INDArray theta, INDArray features, boolean training) {
        INDArray x = features.castTo(theta.dataType());
        if (sampleShape != null) {
            long[] shape = new long[sampleShape.length + 1];
            shape[0] = x.size(0);
            System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
            x = x.reshape('c', shape);
        }
        Forward forward = new Forward(nodes.size(), x);
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            switch (node.kind()) {
                case ADD -> {
                    INDArray sum = node.inputs().length == 1 ? input(forward, x, node.inputs()[0]).dup()
                            : input(forward, x, node.inputs()[0]).add(input(forward, x, node.inputs()[1]));
                    for (int k = 2; k < node.inputs().length; k++) {
                        sum.addi(input(forward, x, node.inputs()[k]));
                    }
                    forward.outputs[i] = sum;
                }
                case MERGE -> {
                    INDArray[] parts = new INDArray[node.inputs().length];
                    for (int k = 0; k < parts.length; k++) {
                        parts[k] = input(forward, x, node.inputs()[k]);
                    }
                    forward.outputs[i] = Nd4j.concat(1, parts);
                }
                case LAYER -> {
                    INDArray in = input(forward, x, node.inputs()[0]);
                    if (node.flattenInput()) {
                        forward.inputShapes[i] = in.shape();
                        in = in.dup('c').reshape('c', in.size(0), in.length() / in.size(0));
                    }
                    forward.activations[i] = node.pass().forward(theta, in, training);
                    forward.outputs[i] = forward.activations[i].output();
                }
            }
        }
        return forward;
    }

    private static INDArray input(Forward forward, INDArray x, int index) {
        return index == NETWORK_INPUT ? (x != null ? x : forward.input) : forward.outputs[index];
    }

    /** Every vertex's output (and what its pass keeps for backward), freed together after the step. */
    private static final class Forward {
        final INDArray input;
        final INDArray[] outputs;
        final LayerPass.Activations[] activations;
        final long[][] inputShapes;

        Forward(int size, INDArray input) {
            this.input = input;
            outputs = new INDArray[size];
            activations = new LayerPass.Activations[size];
            inputShapes = new long[size][];
        }

        void release() {
            OffHeap.release(outputs);
        }
    }

    /** The loss of one network output: the batch mean and its gradient w.r.t. that output. */
    interface GraphLoss {
        double lossAndGradient(INDArray output, INDArray labels, INDArray[] gradient);

        /** A loss on flat rows of logits (softmax cross-entropy, the Hinton loss). */
        static GraphLoss of(OutputLoss loss) {
            return (logits, labels, gradient) -> {
                int n = (int) logits.size(0);
                double[] logitGradient = new double[n * loss.classes()];
                double value = loss.lossAndGradient(rowMajor(logits), rowMajor(labels), n, logitGradient);
                gradient[0] = Nd4j.create(logitGradient, new long[]{n, loss.classes()}, DataType.DOUBLE)
                        .castTo(logits.dataType());
                return value;
            };
        }

        /**
         * A DL4J loss function on the output as it is (a loss layer): its mean over the batch, and its gradient (DL4J's
         * is of the sum) divided by the batch size.
         */
        static GraphLoss of(ILossFunction function, IActivation activation) {
            return (output, labels, gradient) -> {
                INDArray y = labels.castTo(output.dataType());
                double value = function.computeScore(y, output, activation, null, true);
                gradient[0] = function.computeGradient(y, output, activation, null).divi(output.size(0));
                return value;
            };
        }

        private static double[] rowMajor(INDArray matrix) {
            return matrix.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        }
    }
}
