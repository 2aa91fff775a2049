package io.distillmesh.core.condense;

import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A fresh random init's flat parameters, without keeping the network DL4J builds to draw them. */
final class RandomInit {
    private RandomInit() {
    }

    /** θ of {@code network} initialised with {@code seed}; the caller owns it. */
    static INDArray params(ModelSpec network, long seed) {
        MultiLayerNetwork net = ModelZoo.classifier(network.withSeed(seed));
        INDArray theta = net.params().dup();
        // not net.close(): DL4J's close destroys every workspace of the thread (the engine's pass workspaces, which
        // then re-learn their size, 4 KiB page by page) and runs System.gc(), on every iteration
        OffHeap.release(net.params());
        return theta;
    }
}
