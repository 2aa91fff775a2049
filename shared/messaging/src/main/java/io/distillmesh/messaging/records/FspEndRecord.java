package io.distillmesh.messaging.records;

/** The teacher's last FSP record of a run: {@code epochs} passes, {@code samples} FSP target records in all. */
public record FspEndRecord(int epochs, long samples) implements FspRecord {
}
