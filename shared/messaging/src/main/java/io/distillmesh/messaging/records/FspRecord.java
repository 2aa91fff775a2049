package io.distillmesh.messaging.records;

/** A value on a run's FSP topic: one sample's teacher FSP matrices, or the marker that ends the run. */
public sealed interface FspRecord permits FspTargetRecord, FspEndRecord {
}
