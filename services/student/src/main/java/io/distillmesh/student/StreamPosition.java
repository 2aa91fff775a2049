package io.distillmesh.student;

/**
 * Where a student is in its run's stream: the pass, the record it reads next (its offset, and how many of that record's
 * samples it has already passed, when it stopped inside a record of several), and how many records and samples of
 * that pass come before that offset (what the pass's end record is held against).
 */
record StreamPosition(int pass, long offset, int skip, long passRecords, long passSamples) {
    static final StreamPosition START = new StreamPosition(0, 0, 0, 0, 0);

    StreamPosition {
        if (skip < 0) {
            throw new IllegalArgumentException("a stream position cannot skip " + skip + " samples");
        }
    }

    /** The start of pass {@code pass} at {@code offset} (0, or past the end record after the last pass). */
    static StreamPosition passStart(int pass, long offset) {
        return new StreamPosition(pass, offset, 0, 0, 0);
    }
}
