package io.distillmesh.core.distill;

import io.distillmesh.core.data.LabelledImages;

/**
 * The training split as the baselines use it: the {@code heldOut} last images choose a baseline's step size, the
 * rest ({@code pool}) is what baseline images are drawn, averaged or clustered from. The test set is used for
 * nothing but the final numbers.
 */
public record TrainingImages(LabelledImages pool, LabelledImages heldOut) {

    public static TrainingImages split(LabelledImages train, int heldOut) {
        if (heldOut < 1 || heldOut >= train.size()) {
            throw new IllegalArgumentException("cannot hold out " + heldOut + " of " + train.size() + " training images");
        }
        int cut = train.size() - heldOut;
        return new TrainingImages(train.slice(0, cut, train.name() + "/pool"),
                train.slice(cut, train.size(), train.name() + "/held-out"));
    }
}
