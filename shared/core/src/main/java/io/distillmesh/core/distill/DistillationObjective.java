package io.distillmesh.core.distill;

/**
 * What the distilled data should achieve, as the meta-loss on real data after the inner steps: the
 * network's own loss (cross-entropy for classifiers) on the batch {@link #metaBatch} returns.
 */
public interface DistillationObjective {
    /** A short name for logs and records, e.g. {@code classification}. */
    String name();

    /** Real inputs and the targets the trained network should produce, for meta-iteration {@code iteration}. */
    MetaBatch metaBatch(int iteration);

    /** Refuses init modes the objective makes no sense with; by default every mode is fine. */
    default void checkInit(InitMode mode) {
    }
}
