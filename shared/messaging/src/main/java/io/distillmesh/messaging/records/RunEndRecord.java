package io.distillmesh.messaging.records;

/** The teacher's last record of a run: it streamed {@code epochs} passes, {@code samples} soft-target records in all. */
public record RunEndRecord(int epochs, long samples) implements RunRecord {
}
