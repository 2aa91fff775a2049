package io.distillmesh.messaging.records;

/** A value on a run's soft-target topic: a sample's soft targets, or the marker that ends the run. */
public sealed interface RunRecord permits SoftTargetRecord, RunEndRecord {
}
