package io.distillmesh.teacher;

/**
 * How many records a run's topics already hold: the soft-target records and, for a run that streams FSP matrices,
 * the FSP records. A run's records come in one fixed order (epoch by epoch, the samples in a seeded order), so
 * record k of a topic is always the same sample: a run that streamed before is continued from these counts, and
 * the students see each sample once. A count above the run's samples means the run-end marker is there too.
 */
record StreamedSoFar(long softTargets, long fsp) {
    static final StreamedSoFar NOTHING = new StreamedSoFar(0, 0);

    StreamedSoFar {
        if (softTargets < 0 || fsp < 0) {
            throw new IllegalArgumentException("record counts are negative: " + softTargets + ", " + fsp);
        }
    }

    /** The first sample (index in the run's order) some topic still lacks. */
    long firstMissing(boolean streamsFsp) {
        return streamsFsp ? Math.min(softTargets, fsp) : softTargets;
    }
}
