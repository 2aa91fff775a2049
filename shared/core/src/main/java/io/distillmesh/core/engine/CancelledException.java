package io.distillmesh.core.engine;

import java.util.function.BooleanSupplier;

/**
 * Raised inside a computation when the caller's {@code cancelled} check asks to stop: the work is
 * abandoned where it stands and the caller that asked for the stop catches it (e.g. a distillation run).
 */
public final class CancelledException extends RuntimeException {
    public CancelledException() {
        super("cancelled", null, false, false);
    }

    /** Throws when {@code cancelled} says so; the check between two inner steps or two chunks of a batch. */
    public static void throwIf(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new CancelledException();
        }
    }
}
