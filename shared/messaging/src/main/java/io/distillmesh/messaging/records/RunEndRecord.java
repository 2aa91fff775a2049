package io.distillmesh.messaging.records;

/**
 * The teacher's last record of a run: it streamed {@code epochs} passes, {@code samples} soft targets in all, in
 * {@code records} records before this one (a record may carry many samples, see {@link SoftTargetBatchRecord}).
 */
public record RunEndRecord(int epochs, long samples, long records) implements RunRecord {
    public RunEndRecord {
        if (epochs <= 0 || samples < 0 || records < 0 || records > samples) {
            throw new IllegalArgumentException("bad run end: epochs " + epochs + ", samples " + samples + ", records "
                    + records);
        }
    }

    /** The end of a stream of one record a sample. */
    public RunEndRecord(int epochs, long samples) {
        this(epochs, samples, samples);
    }
}
