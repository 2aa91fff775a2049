package io.distillmesh.core.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward and backward through a DL4J computation graph read into {@link LayerPass}es and element-wise sums, in
 * topological order; a vertex whose output feeds several others gets the sum of their gradients. The output
 * vertex's pass computes the logits; the {@link OutputLoss} turns them into the batch mean loss.
 */
final class GraphPass {
    /** The network's input, as a node's input index. */
    static final int NETWORK_INPUT = -1;

    /** One vertex: its layer pass, or null for an element-wise sum of its inputs (a residual addition). */
    record Node(String name, LayerPass pass, int[] inputs) {
    }

    private final List<Node> nodes;
    private final long[] sampleShape;
    private final OutputLoss loss;

    /** {@code sampleShape}: one sample's shape as the first layers take it (e.g. [1, 28, 28]); null to keep rows flat. */
    GraphPass(List<Node> nodes, long[] sampleShape, OutputLoss loss) {
        this.nodes = List.copyOf(nodes);
        this.sampleShape = sampleShape == null ? null : sampleShape.clone();
        this.loss = loss;
    }

    /** The logits of {@code features} at parameters θ, in inference mode. */
    INDArray logits(INDArray theta, INDArray features) {
        Forward forward = forward(theta, features, false);
        INDArray logits = forward.outputs[nodes.size() - 1];
        forward.outputs[nodes.size() - 1] = null;
        forward.release();
        return logits;
    }

    /**
     * Writes the gradient of the batch mean loss in training mode into {@code gradient} (θ's layout; batch
     * normalisation's running statistics get their update there) and answers that loss.
     */
    double lossAndGradient(INDArray theta, INDArray features, INDArray labels, INDArray gradient) {
        Forward forward = forward(theta, features, true);
        int last = nodes.size() - 1;
        INDArray logits = forward.outputs[last];
        int n = (int) logits.size(0);
        double[] logitGradient = new double[n * loss.classes()];
        double value = loss.lossAndGradient(rowMajor(logits), rowMajor(labels), n, logitGradient);
        INDArray[] gradients = new INDArray[nodes.size()];
        gradients[last] = Nd4j.create(logitGradient, new long[]{n, loss.classes()}, DataType.DOUBLE)
                .castTo(logits.dataType());
        List<INDArray> spent = new ArrayList<>();
        for (int i = last; i >= 0; i--) {
            INDArray g = gradients[i];
            if (g == null) {
                continue;
            }
            Node node = nodes.get(i);
            if (node.pass() == null) {
                for (int input : node.inputs()) {
                    accumulate(gradients, input, g, spent);
                }
            } else {
                int input = node.inputs()[0];
                INDArray inputGradient = node.pass().backward(theta, forward.activations[i], g, gradient,
                        input != NETWORK_INPUT);
                accumulate(gradients, input, inputGradient, spent);
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
        Forward forward = new Forward(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            if (node.pass() == null) {
                INDArray sum = input(forward, x, node.inputs()[0]).dup();
                for (int k = 1; k < node.inputs().length; k++) {
                    sum.addi(input(forward, x, node.inputs()[k]));
                }
                forward.outputs[i] = sum;
            } else {
                forward.activations[i] = node.pass().forward(theta, input(forward, x, node.inputs()[0]), training);
                forward.outputs[i] = forward.activations[i].output();
            }
        }
        return forward;
    }

    private static INDArray input(Forward forward, INDArray x, int index) {
        return index == NETWORK_INPUT ? x : forward.outputs[index];
    }

    private static double[] rowMajor(INDArray matrix) {
        return matrix.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** Every vertex's output (and what its pass keeps for backward), freed together after the step. */
    private static final class Forward {
        final INDArray[] outputs;
        final LayerPass.Activations[] activations;

        Forward(int size) {
            outputs = new INDArray[size];
            activations = new LayerPass.Activations[size];
        }

        void release() {
            OffHeap.release(outputs);
        }
    }
}
