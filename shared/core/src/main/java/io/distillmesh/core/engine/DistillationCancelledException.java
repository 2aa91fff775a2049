package io.distillmesh.core.engine;

import java.util.function.BooleanSupplier;

/**
 * Raised inside a meta-iteration when the run's {@link DistillationListener} asks to stop: the iteration is
 * abandoned where it stands and {@link DatasetDistiller#run} returns the iterations completed before it.
 */
public final class DistillationCancelledException extends RuntimeException {
    public DistillationCancelledException() {
        super("distillation cancelled", null, false, false);
    }

    /** Throws when {@code cancelled} says so; the check between two inner steps or two chunks of a batch. */
    public static void throwIf(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new DistillationCancelledException();
        }
    }
}
