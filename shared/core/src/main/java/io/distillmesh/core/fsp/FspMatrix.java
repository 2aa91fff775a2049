package io.distillmesh.core.fsp;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The flow of solution procedure (Yim et al. 2017): for feature maps F1 {@code [n, c1, h, w]} and F2
 * {@code [n, c2, h, w]}, G(i, j) = Σ_{s,t} F1(s,t,i)·F2(s,t,j) / (h·w), one {@code [c1, c2]} matrix per sample.
 * With each map as {@code [c, h·w]}: G = F1·F2ᵀ / (h·w).
 */
public final class FspMatrix {
    private FspMatrix() {
    }

    /** FSP matrices {@code [n, c1, c2]} of two batches of feature maps. */
    public static INDArray compute(INDArray first, INDArray second) {
        requireSameSpatialSize(first, second);
        long n = first.size(0);
        long positions = first.size(2) * first.size(3);
        return of(new FlattenedMaps(first.reshape('c', n, first.size(1), positions),
                second.reshape('c', n, second.size(1), positions)));
    }

    /** G = F1·F2ᵀ / (h·w), {@code [n, c1, c2]}. */
    static INDArray of(FlattenedMaps maps) {
        return Nd4j.matmul(maps.first(), maps.second(), false, true, false).muli(1.0 / maps.positions());
    }

    /**
     * The gradients with respect to F1 and F2 when dL/dG = scale·D, D {@code [n, c1, c2]}:
     * dL/dF1 = scale·D·F2 / (h·w) and dL/dF2 = scale·Dᵀ·F1 / (h·w).
     */
    static FlattenedMaps backward(FlattenedMaps maps, INDArray d, double scale) {
        double perPosition = scale / maps.positions();
        return new FlattenedMaps(Nd4j.matmul(d, maps.second(), false, false, false).muli(perPosition),
                Nd4j.matmul(d, maps.first(), true, false, false).muli(perPosition));
    }

    static void requireSameSpatialSize(INDArray first, INDArray second) {
        if (first.rank() != 4 || second.rank() != 4) {
            throw new IllegalArgumentException("FSP needs two [n, c, h, w] feature maps, got "
                    + Arrays.toString(first.shape()) + " and " + Arrays.toString(second.shape()));
        }
        if (first.size(0) != second.size(0) || first.size(2) != second.size(2) || first.size(3) != second.size(3)) {
            throw new IllegalArgumentException("FSP needs feature maps of one batch with equal spatial size, got "
                    + Arrays.toString(first.shape()) + " and " + Arrays.toString(second.shape()));
        }
    }
}
