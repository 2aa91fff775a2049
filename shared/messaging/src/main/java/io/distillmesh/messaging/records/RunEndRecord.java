package io.distillmesh.messaging.records;

/**
 * The teacher's last record of a run: it streamed {@code epochs} passes, {@code samples} soft targets in all, in
 * {@code records} records before this one (a record may carry many samples, see {@link SoftTargetBatchRecord});
 * {@link #RECORDS_UNKNOWN} in an end written before records held many samples.
 */
public record RunEndRecord(int epochs, long samples, long records) implements RunRecord {
    public static final long RECORDS_UNKNOWN = -1;

    public RunEndRecord {
        if (epochs <= 0 || samples < 0 || records < RECORDS_UNKNOWN || records > samples) {
            throw new IllegalArgumentException("bad run end: epochs " + epochs + ", samples " + samples + ", records "
                    + records);
        }
    }

    /** The end of a stream whose record count is not known (the layout of one record a sample). */
    public RunEndRecord(int epochs, long samples) {
        this(epochs, samples, RECORDS_UNKNOWN);
    }
}
