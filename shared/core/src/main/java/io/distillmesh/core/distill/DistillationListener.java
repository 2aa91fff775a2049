package io.distillmesh.core.distill;

/** Follows a distillation (progress bar, progress records) and may cancel it between iterations. */
@FunctionalInterface
public interface DistillationListener {
    DistillationListener NONE = p -> { };

    void onIteration(DistillationProgress progress);

    /** Checked before every meta-iteration; true stops the run, which returns what it has. */
    default boolean isCancelled() {
        return false;
    }
}
