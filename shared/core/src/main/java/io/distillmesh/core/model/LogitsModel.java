package io.distillmesh.core.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A trained classifier as its logits (the output layer's pre-activation), whatever kind of DL4J model it is. */
@FunctionalInterface
public interface LogitsModel {
    /** Logits for a batch of flat 784-pixel inputs, one row per input; the caller owns the result. */
    INDArray logits(INDArray inputs);
}
