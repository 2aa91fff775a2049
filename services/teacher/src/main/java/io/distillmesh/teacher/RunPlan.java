package io.distillmesh.teacher;

import java.util.ArrayList;
import java.util.List;

/**
 * How a run is cut up for the teachers that share it: each epoch into inference batches, in the epoch's order, then
 * the end. Piece {@code i} goes to partition {@code i mod partitions} of the run's work topic, so the replicas that
 * hold those partitions stream neighbouring batches side by side.
 */
record RunPlan(int samples, int epochs, int batchSize, int partitions) {
    RunPlan {
        if (samples < 1 || epochs < 1 || batchSize < 1 || partitions < 1) {
            throw new IllegalArgumentException("a run plan needs samples, epochs, batch size and partitions ≥ 1, got "
                    + samples + ", " + epochs + ", " + batchSize + ", " + partitions);
        }
    }

    /** Every piece in the run's order, the end last. */
    List<WorkItem> items() {
        List<WorkItem> items = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int from = 0; from < samples; from += batchSize) {
                items.add(new WorkItem(epoch, from, Math.min(samples, from + batchSize)));
            }
        }
        items.add(WorkItem.END);
        return items;
    }

    int partitionOf(int item) {
        return item % partitions;
    }

    long total() {
        return (long) samples * epochs;
    }
}
