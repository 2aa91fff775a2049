package io.distillmesh.core.fsp;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The first and second feature map of an FSP pair, each {@code [n, c, h·w]}, or the gradients with respect to them.
 */
record FlattenedMaps(INDArray first, INDArray second) {
    long positions() {
        return first.size(2);
    }
}
