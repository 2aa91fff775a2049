package io.distillmesh.core.engine;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network's embedding, the input of its output layer, at any flat parameter vector θ, and the input gradient of
 * a function of it: what distribution matching (Zhao &amp; Bilen 2023) needs of randomly initialised networks. By the
 * engine's hand-written passes only; a network they do not cover is refused.
 */
public final class Embedding {
    private final SmallNetworkGradientEngine engine;
    private final DataType dataType;
    private final long numParams;

    private Embedding(SmallNetworkGradientEngine engine, DataType dataType, long numParams) {
        this.engine = engine;
        this.dataType = dataType;
        this.numParams = numParams;
    }

    /** The embedding of {@code net}'s architecture; its parameters are given to each call. */
    public static Embedding of(MultiLayerNetwork net) {
        SmallNetworkGradientEngine engine = SmallNetworkLayers.forLogits(net).orElseThrow(() ->
                new IllegalArgumentException("the engine cannot read this network's layers for its embedding"));
        return new Embedding(engine, net.params().dataType(), net.numParams());
    }

    /** [samples, features]: each sample's embedding at θ. */
    public INDArray features(INDArray theta, INDArray x) {
        return engine.features(flat(theta), x.castTo(dataType));
    }

    /** ∂/∂x Σ g ⊙ features(θ, x), with g shaped [samples, features]; shaped as x. */
    public INDArray inputGradient(INDArray theta, INDArray x, INDArray featureGradient) {
        return engine.featureInputGradient(flat(theta), x.castTo(dataType), featureGradient);
    }

    private INDArray flat(INDArray theta) {
        if (theta.length() != numParams) {
            throw new IllegalArgumentException("parameter vector has " + theta.length() + " values, the network "
                    + numParams);
        }
        return theta.reshape(numParams).castTo(dataType);
    }
}
