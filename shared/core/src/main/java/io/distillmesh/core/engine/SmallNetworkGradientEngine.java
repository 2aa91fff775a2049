package io.distillmesh.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A hand-written, exact forward and backward pass for the small networks dataset distillation trains
 * (MLPs and LeNets: convolution, max pooling, dense layers, ReLU, softmax cross-entropy), straight on
 * ND4J arrays at any θ. It skips what DL4J's backprop does per call (copying θ into the network, layer
 * bookkeeping) and the input gradient of the first layer when it is not wanted, and calls libnd4j's
 * convolution kernels directly (oneDNN's, in the onednn builds of nd4j-native). The gradient passes keep
 * their intermediate arrays in a {@link PassWorkspace} reused from call to call. Which networks it
 * supports is decided by {@link SmallNetworkLayers}.
 */
final class SmallNetworkGradientEngine implements GradientEngine {
    static final long CHUNK_ROWS = 128;
    private final List<LayerPass> layers;
    private final long[] sampleShape;
    private final long numParams;
    private final TangentSweep tangents;

    SmallNetworkGradientEngine(List<LayerPass> layers, long[] sampleShape, long numParams) {
        this.layers = List.copyOf(layers);
        this.sampleShape = sampleShape.clone();
        this.numParams = numParams;
        this.tangents = TangentSweep.of(this.layers, numParams);
    }

    /** The engine for {@code net}, if every layer of it is supported. */
    static Optional<SmallNetworkGradientEngine> supporting(MultiLayerNetwork net) {
        return SmallNetworkLayers.of(net);
    }

    /**
     * Whether this engine beats DL4J's own layers on this network: always for MLPs; for convolutional networks
     * only when ND4J's native library has oneDNN's kernels (libnd4j's generic ones are slower than DL4J's).
     */
    boolean fasterThanDl4j() {
        return layers.stream().noneMatch(l -> l instanceof ConvolutionPass) || NativeKernels.hasOneDnn();
    }

    /**
     * Whether DL4J's own backprop gets this network's gradient wrong: its SameDiff backprop of instance normalisation
     * doubles the gradient (DL4J 1.0.0-M2.1), so such a network must take the engine's, fast or not.
     */
    boolean dl4jBackpropIsWrong() {
        return layers.stream().anyMatch(l -> l instanceof InstanceNormPass);
    }

    @Override
    public String name() {
        return "hand-written";
    }

    @Override
    public LossGradients.ParamsAndInput paramsAndInput(INDArray theta, INDArray x, INDArray y) {
        try (MemoryWorkspace ignored = PassWorkspace.PARAMS_AND_INPUT.open()) {
            Pass pass = forward(theta, x);
            INDArray gradient = Nd4j.zeros(theta.dataType(), numParams);
            INDArray inputGradient = backward(theta, pass, y, gradient, true);
            return new LossGradients.ParamsAndInput(gradient.detach(), inputGradient.reshape('c', x.shape()).detach());
        }
    }

    @Override
    public boolean exactHessianVectorProducts() {
        return tangents != null;
    }

    @Override
    public LossGradients.ParamsAndInput hessianVectorProduct(INDArray theta, INDArray v, INDArray x, INDArray y) {
        if (tangents == null) {
            return GradientEngine.super.hessianVectorProduct(theta, v, x, y);
        }
        try (MemoryWorkspace ignored = PassWorkspace.PARAMS_AND_INPUT.open()) {
            LossGradients.ParamsAndInput r = tangents.along(theta, v, forward(theta, x).activations(), y, x.shape());
            return new LossGradients.ParamsAndInput(r.params().detach(), r.input().detach());
        }
    }

    /**
     * The mean loss and its parameter gradient, over chunks of at most {@link #CHUNK_ROWS} rows (a
     * meta-iteration's real batch of 1024 is eight): the same sums with an eighth of the activations in
     * memory, and no slower (docs/BENCHMARKS.md).
     */
    @Override
    public LossGradients.Scored scored(INDArray theta, INDArray x, INDArray y) {
        return scored(theta, x, y, () -> false);
    }

    @Override
    public LossGradients.Scored scored(INDArray theta, INDArray x, INDArray y, BooleanSupplier cancelled) {
        INDArray gradient = Nd4j.zeros(theta.dataType(), numParams);
        double loss;
        try {
            loss = overChunks(PassWorkspace.SCORED, x, y, cancelled, (xs, ys, weight) -> {
                Pass pass = forward(theta, xs);
                INDArray chunkGradient = Nd4j.zeros(theta.dataType(), numParams);
                backward(theta, pass, ys, chunkGradient, false);
                gradient.addi(chunkGradient.muli(weight));
                return SoftmaxCrossEntropy.loss(pass.logits(), ys);
            });
        } catch (CancelledException e) {
            OffHeap.release(gradient);
            throw e;
        }
        return new LossGradients.Scored(loss, gradient);
    }

    @Override
    public double loss(INDArray theta, INDArray x, INDArray y) {
        return overChunks(PassWorkspace.LOSS, x, y, () -> false,
                (xs, ys, weight) -> SoftmaxCrossEntropy.loss(forward(theta, xs).logits(), ys));
    }

    /** One chunk's pass, given its share of the batch; returns the chunk's mean loss. */
    @FunctionalInterface
    private interface ChunkPass {
        double run(INDArray xs, INDArray ys, double weight);
    }

    /** Runs {@code pass} on each chunk in {@code workspace}, unless cancelled, and returns the batch's mean loss. */
    private static double overChunks(PassWorkspace workspace, INDArray x, INDArray y, BooleanSupplier cancelled,
                                     ChunkPass pass) {
        long n = x.size(0);
        double loss = 0;
        for (long from = 0; from < n; from += CHUNK_ROWS) {
            CancelledException.throwIf(cancelled);
            long to = Math.min(n, from + CHUNK_ROWS);
            double weight = (double) (to - from) / n;
            try (MemoryWorkspace ignored = workspace.open()) {
                loss += weight * pass.run(rows(x, from, to), rows(y, from, to), weight);
            }
        }
        return loss;
    }

    private static INDArray rows(INDArray a, long from, long to) {
        return from == 0 && to == a.size(0) ? a : a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /** The output layer's pre-activation (logits) at θ, forward only. The caller owns the result. */
    INDArray logits(INDArray theta, INDArray x) {
        try (MemoryWorkspace ignored = PassWorkspace.LOGITS.open()) {
            return forward(theta, x, false).logits().detach();
        }
    }

    /**
     * The input of the output layer (the network's embedding), one flat row per sample, at θ; forward only, in
     * chunks of {@link #CHUNK_ROWS} rows. The caller owns the result.
     */
    INDArray features(INDArray theta, INDArray x) {
        long n = x.size(0);
        INDArray out = null;
        for (long from = 0; from < n; from += CHUNK_ROWS) {
            long to = Math.min(n, from + CHUNK_ROWS);
            try (MemoryWorkspace ignored = PassWorkspace.LOGITS.open()) {
                INDArray a = rows(x, from, to).reshape('c', batchShape(rows(x, from, to)));
                for (int i = 0; i < layers.size() - 1; i++) {
                    a = layers.get(i).forward(theta, a, false).output();
                }
                INDArray chunk = a.reshape('c', to - from, a.length() / (to - from));
                if (out == null) {
                    out = Nd4j.createUninitializedDetached(theta.dataType(), n, chunk.size(1));
                }
                out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(chunk);
            }
        }
        return out;
    }

    /**
     * ∂/∂x of Σ g·features(x) at θ: the input gradient for a given gradient g ([samples, features]) of the
     * embedding. The parameter gradients are formed on the way and dropped. The caller owns the result.
     */
    INDArray featureInputGradient(INDArray theta, INDArray x, INDArray featureGradient) {
        try (MemoryWorkspace ignored = PassWorkspace.PARAMS_AND_INPUT.open()) {
            INDArray a = x.reshape('c', batchShape(x));
            List<LayerPass.Activations> activations = new ArrayList<>(layers.size() - 1);
            for (int i = 0; i < layers.size() - 1; i++) {
                LayerPass.Activations out = layers.get(i).forward(theta, a);
                activations.add(out);
                a = out.output();
            }
            INDArray g = featureGradient.castTo(theta.dataType()).reshape('c', a.shape());
            INDArray scratch = Nd4j.zeros(theta.dataType(), numParams);
            for (int i = activations.size() - 1; i >= 0; i--) {
                g = layers.get(i).backward(theta, activations.get(i), g, scratch, true);
            }
            return g.reshape('c', x.shape()).detach();
        }
    }

    private long[] batchShape(INDArray x) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = x.size(0);
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return shape;
    }

    private record Pass(List<LayerPass.Activations> activations, INDArray logits) {
    }

    private Pass forward(INDArray theta, INDArray x) {
        return forward(theta, x, true);
    }

    private Pass forward(INDArray theta, INDArray x, boolean training) {
        INDArray a = x.reshape('c', batchShape(x));
        List<LayerPass.Activations> activations = new ArrayList<>(layers.size());
        for (LayerPass layer : layers) {
            LayerPass.Activations out = layer.forward(theta, a, training);
            activations.add(out);
            a = out.output();
        }
        return new Pass(activations, a);
    }

    private INDArray backward(INDArray theta, Pass pass, INDArray y, INDArray gradient, boolean needInput) {
        INDArray g = SoftmaxCrossEntropy.logitGradient(pass.logits(), y);
        for (int i = layers.size() - 1; i >= 0; i--) {
            INDArray next = layers.get(i).backward(theta, pass.activations().get(i), g, gradient, needInput || i > 0);
            OffHeap.release(g);
            g = next;
        }
        return g;
    }
}
