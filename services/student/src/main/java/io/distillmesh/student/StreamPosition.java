package io.distillmesh.student;

/**
 * Where a student is in its run's stream: the pass, the offset it reads next, and how many records of that pass come
 * before that offset (what the pass's end record is held against).
 */
record StreamPosition(int pass, long offset, long passRecords) {
    static final StreamPosition START = new StreamPosition(0, 0, 0);
}
