package io.distillmesh.evaluator;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.RandomRealBaseline;

/** Wang et al.'s baseline: a fresh random draw of real images (M per class per step) for every replica. */
final class RandomRealImages implements BaselineSet {
    static final String KIND = "random-real";
    private final DistilledSet template;
    private final RandomRealBaseline draws;
    private final long seed;

    RandomRealImages(DistilledSet template, LabelledImages real, long seed) {
        this.template = template;
        this.draws = new RandomRealBaseline(template.schedule(), real, template.shape());
        this.seed = seed;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public float[] pixels(int replica) {
        return draws.sample(1.0, seed + replica, template.init()).pixels();
    }
}
