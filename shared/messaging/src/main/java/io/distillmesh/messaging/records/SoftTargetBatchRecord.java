package io.distillmesh.messaging.records;

import java.util.List;

/**
 * Consecutive samples of a run's stream in one record, all from the same teacher, epoch and temperature: the teacher
 * writes a piece of its run this way, so that a student fetches and parses one record for many samples. The record is
 * the unit that is decoded, dead-lettered and committed.
 */
public record SoftTargetBatchRecord(List<SoftTargetRecord> samples) implements RunRecord {
    public SoftTargetBatchRecord {
        samples = List.copyOf(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a soft-target batch needs at least one sample");
        }
    }

    public int size() {
        return samples.size();
    }
}
