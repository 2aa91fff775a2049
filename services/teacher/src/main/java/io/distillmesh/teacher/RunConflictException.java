package io.distillmesh.teacher;

/** A run id already taken by a run of another spec: 409. */
final class RunConflictException extends IllegalStateException {
    RunConflictException(String message) {
        super(message);
    }
}
