package io.distillmesh.core.distill;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the inner loop unrolls: the distilled batches x̃_0..x̃_{S−1} ([M·C, features] each), their fixed
 * labels, and the positive step sizes η_0..η_{T−1}, all in the working precision of the network.
 */
public record InnerSteps(DistillationSchedule schedule, List<INDArray> images, INDArray labels, double[] stepSizes) {
    public InnerSteps {
        if (schedule == null) {
            throw new IllegalArgumentException("schedule is required");
        }
        if (images == null || images.size() != schedule.steps()) {
            throw new IllegalArgumentException("need one image batch per step (" + schedule.steps() + "), got "
                    + (images == null ? "none" : images.size()));
        }
        for (INDArray x : images) {
            if (x.rank() != 2 || x.rows() != schedule.batchSize()) {
                throw new IllegalArgumentException("each distilled batch must be [" + schedule.batchSize()
                        + ", features], got " + java.util.Arrays.toString(x.shape()));
            }
        }
        if (labels == null || labels.rows() != schedule.batchSize() || labels.columns() != schedule.classes()) {
            throw new IllegalArgumentException("labels must be [" + schedule.batchSize() + ", " + schedule.classes() + "]");
        }
        if (stepSizes == null || stepSizes.length != schedule.totalSteps()) {
            throw new IllegalArgumentException("need " + schedule.totalSteps() + " step sizes (steps × epochs), got "
                    + (stepSizes == null ? "none" : stepSizes.length));
        }
        for (double eta : stepSizes) {
            if (!(eta > 0) || Double.isInfinite(eta)) {
                throw new IllegalArgumentException("step sizes must be finite and positive, got " + eta);
            }
        }
    }

    public INDArray imagesAt(int t) {
        return images.get(schedule.batchOf(t));
    }

    public double stepSizeAt(int t) {
        return stepSizes[t];
    }
}
