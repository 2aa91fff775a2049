package io.distillmesh.core.distill;

/** Plain dataset distillation: after the steps, classify real data correctly (cross-entropy on true labels). */
public final class ClassificationObjective implements DistillationObjective {
    private final RealBatches real;

    public ClassificationObjective(RealBatches real) {
        if (real == null) {
            throw new IllegalArgumentException("real batches are required");
        }
        this.real = real;
    }

    @Override
    public String name() {
        return "classification";
    }

    @Override
    public MetaBatch metaBatch(int iteration) {
        int[] ids = real.ids(iteration);
        return new MetaBatch(real.data().features(ids), real.data().oneHot(ids));
    }
}
