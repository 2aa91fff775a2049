package io.distillmesh.core.distill;

/** Follows a distillation (progress bar, progress records) and may cancel it, also in the middle of an iteration. */
@FunctionalInterface
public interface DistillationListener {
    DistillationListener NONE = p -> { };

    void onIteration(DistillationProgress progress);

    /**
     * Checked before every meta-iteration, init, inner step and step back, and between chunks of the real batch;
     * true stops the run, which drops the unfinished iteration and returns the completed ones.
     */
    default boolean isCancelled() {
        return false;
    }
}
