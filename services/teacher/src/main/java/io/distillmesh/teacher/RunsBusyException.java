package io.distillmesh.teacher;

/** Every streaming slot is taken: 429, with when to try again. */
final class RunsBusyException extends IllegalStateException {
    private final long retryAfterSeconds;

    RunsBusyException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
