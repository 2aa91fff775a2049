package io.distillmesh.core.distill;

/** A baseline whose images are computed once and are the same for every replica (class means, k-means centroids). */
abstract class SameImagesBaseline implements BaselineSet {
    private final String kind;
    private final float[] pixels;

    SameImagesBaseline(String kind, float[] pixels) {
        this.kind = kind;
        this.pixels = pixels;
    }

    @Override
    public final String kind() {
        return kind;
    }

    @Override
    public final float[] pixels(int replica) {
        return pixels.clone();
    }
}
