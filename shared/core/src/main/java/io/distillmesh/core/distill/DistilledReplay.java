package io.distillmesh.core.distill;

import io.distillmesh.core.engine.LossGradients;
import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.engine.PassWorkspace;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a fresh network on a distilled set exactly as the distillation did: same init, same S steps
 * × E epochs, same learned step sizes, same arithmetic ({@link InnerLoop}). What evaluators and the CLI use.
 */
public final class DistilledReplay {
    private DistilledReplay() {
    }

    /**
     * A network built from the set's init spec, started at evaluation init {@code k} (see
     * {@link InitSampler#evaluation}) and trained on the set.
     */
    public static MultiLayerNetwork train(DistilledSet set, PretrainedPool pool, int k) {
        InitSampler sampler = new InitSampler(set.init(), pool);
        return train(sampler.newNetwork(), sampler.evaluation(k), set);
    }

    /** {@code net} (its architecture and precision) started at {@code theta0} and trained on the set. */
    public static MultiLayerNetwork train(MultiLayerNetwork net, INDArray theta0, DistilledSet set) {
        LossGradients gradients = new LossGradients(net);
        try {
            INDArray trained = new InnerLoop(gradients).train(theta0, set.steps(gradients.dataType()));
            net.setParams(trained);
            OffHeap.release(trained);
            return net;
        } finally {
            PassWorkspace.PARAMS_AND_INPUT.release();
        }
    }
}
