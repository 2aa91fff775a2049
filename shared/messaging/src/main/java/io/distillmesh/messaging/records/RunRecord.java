package io.distillmesh.messaging.records;

/** A value on a run's soft-target topic: one sample's soft targets, several samples' soft targets, or the run's end. */
public sealed interface RunRecord permits SoftTargetRecord, SoftTargetBatchRecord, RunEndRecord {
}
