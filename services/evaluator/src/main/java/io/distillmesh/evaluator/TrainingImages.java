package io.distillmesh.evaluator;

import io.distillmesh.core.data.ImageTensor;
import io.distillmesh.core.data.LabelledImages;

import java.util.Arrays;

/**
 * The training split as the baselines use it: the {@code heldOut} last images choose a baseline's step size, the
 * rest ({@code pool}) is what baseline images are drawn, averaged or clustered from. The test set is used for
 * nothing but the final numbers.
 */
record TrainingImages(LabelledImages pool, LabelledImages heldOut) {

    static TrainingImages split(LabelledImages train, int heldOut) {
        if (heldOut < 1 || heldOut >= train.size()) {
            throw new IllegalArgumentException("cannot hold out " + heldOut + " of " + train.size() + " training images");
        }
        int cut = train.size() - heldOut;
        return new TrainingImages(slice(train, 0, cut, "pool"), slice(train, cut, train.size(), "held-out"));
    }

    private static LabelledImages slice(LabelledImages data, int from, int to, String name) {
        int f = data.features();
        ImageTensor t = data.images();
        return new LabelledImages(data.name() + "/" + name, new ImageTensor(to - from, t.rows(), t.cols(),
                Arrays.copyOfRange(t.pixels(), from * f, to * f)), Arrays.copyOfRange(data.labels(), from, to),
                data.numClasses());
    }
}
