package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A layer that passes its input on unchanged (DL4J's loss layer without activation, before its loss). */
final class IdentityPass implements LayerPass {
    @Override
    public Activations forward(INDArray theta, INDArray input) {
        return new Activations(input, input);
    }

    @Override
    public INDArray backward(INDArray theta, Activations activations, INDArray outputGradient, INDArray gradient,
                             boolean needInput) {
        return needInput ? outputGradient.dup() : null;
    }
}
