package io.distillmesh.distiller;

/** Where a distillation job is: waiting for a worker, running, or finished in one of three ways. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
