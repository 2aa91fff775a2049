package io.distillmesh.core.distill;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The real data the meta-loss is measured on at θ_T: inputs [n, features] and targets [n, classes]. */
public record MetaBatch(INDArray features, INDArray targets) {
    public MetaBatch {
        if (features == null || targets == null) {
            throw new IllegalArgumentException("features and targets are required");
        }
        if (features.size(0) != targets.size(0) || features.size(0) == 0) {
            throw new IllegalArgumentException("features " + Arrays.toString(features.shape()) + " and targets "
                    + Arrays.toString(targets.shape()) + " need the same, positive number of rows");
        }
    }

    public long size() {
        return features.size(0);
    }
}
