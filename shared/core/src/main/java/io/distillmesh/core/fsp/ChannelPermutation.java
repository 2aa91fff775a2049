package io.distillmesh.core.fsp;

import io.distillmesh.core.model.ResidualNetworks;
import io.distillmesh.core.train.EpochOrder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shuffled FSP for ensembles: the teacher's channels in each stage renamed by a seeded permutation π_k, so
 * G'(i, j) = G(π(i), π(j)). Each student of an ensemble gets its own seed: the same knowledge, reached from
 * differently arranged features, so the students differ more than identically taught ones.
 */
public final class ChannelPermutation {
    private final long seed;

    public ChannelPermutation(long seed) {
        this.seed = seed;
    }

    /** The permuted matrices {@code [n, c1, c2]} of a pair, each axis permuted by its layer's stage permutation. */
    public INDArray apply(INDArray matrices, FspPair pair) {
        int[] rows = permutation(ResidualNetworks.stageOf(pair.first()), (int) matrices.size(1));
        int[] cols = permutation(ResidualNetworks.stageOf(pair.second()), (int) matrices.size(2));
        double[][][] in = new double[(int) matrices.size(0)][][];
        for (int s = 0; s < in.length; s++) {
            in[s] = matrices.slice(s).toDoubleMatrix();
        }
        double[][][] out = new double[in.length][rows.length][cols.length];
        for (int s = 0; s < in.length; s++) {
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < cols.length; j++) {
                    out[s][i][j] = in[s][rows[i]][cols[j]];
                }
            }
        }
        return Nd4j.create(out).castTo(matrices.dataType());
    }

    /** The permutation of stage {@code stage}'s {@code channels} channels. */
    public int[] permutation(int stage, int channels) {
        return new EpochOrder(channels, seed * 31 + stage).permutation(0);
    }
}
