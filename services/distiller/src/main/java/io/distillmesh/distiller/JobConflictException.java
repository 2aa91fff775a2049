package io.distillmesh.distiller;

/** A job id that is already taken: 409. */
final class JobConflictException extends IllegalStateException {
    JobConflictException(String message) {
        super(message);
    }
}
