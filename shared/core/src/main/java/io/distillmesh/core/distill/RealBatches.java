package io.distillmesh.core.distill;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.train.EpochOrder;

/**
 * The real minibatch of each meta-iteration: consecutive full batches of seeded per-epoch permutations
 * of the data (a partial last batch of an epoch is skipped), so a run can be repeated batch for batch.
 */
public final class RealBatches {
    private final LabelledImages data;
    private final int batchSize;
    private final EpochOrder order;
    private final int batchesPerEpoch;
    private int cachedEpoch = -1;
    private int[] cachedPermutation;

    public RealBatches(LabelledImages data, int batchSize, long seed) {
        if (data == null || data.size() == 0) {
            throw new IllegalArgumentException("real data are required for the meta-loss");
        }
        if (batchSize < 1 || batchSize > data.size()) {
            throw new IllegalArgumentException("real batch size must be in 1.." + data.size() + " (" + data.name()
                    + "), got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.order = new EpochOrder(data.size(), seed);
        this.batchesPerEpoch = data.size() / batchSize;
    }

    public LabelledImages data() {
        return data;
    }

    /** Row ids of the batch of meta-iteration {@code iteration}. */
    public synchronized int[] ids(int iteration) {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        int epoch = iteration / batchesPerEpoch;
        if (epoch != cachedEpoch) {
            cachedPermutation = order.permutation(epoch);
            cachedEpoch = epoch;
        }
        int from = (iteration % batchesPerEpoch) * batchSize;
        return EpochOrder.slice(cachedPermutation, from, from + batchSize);
    }
}
