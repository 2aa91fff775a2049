package io.distillmesh.bench;

import io.distillmesh.student.StudentTrainingLoop;

/**
 * Times a training loop by its trained batches: the steady rate counts the samples after the first batch over the
 * time from the first batch's end to the last one's, so that one-time start-up (building the network, a Kafka
 * consumer's first fetch) is reported apart from the rate.
 */
final class BatchClock implements StudentTrainingLoop.TrainedBatchListener {
    private final long created = System.nanoTime();
    private long firstEnd;
    private long lastEnd;
    private long firstSamples;
    private long samples;

    @Override
    public synchronized void onBatch(int pass, long[] sampleIds) {
        long now = System.nanoTime();
        if (samples == 0) {
            firstEnd = now;
            firstSamples = sampleIds.length;
        }
        lastEnd = now;
        samples += sampleIds.length;
    }

    /** Samples per second after the first batch. */
    synchronized double steadyRate() {
        if (lastEnd == firstEnd) {
            throw new IllegalStateException("fewer than two batches trained");
        }
        return (samples - firstSamples) / ((lastEnd - firstEnd) / 1e9);
    }

    /** Seconds from this clock's creation to the end of the first batch. */
    synchronized double startSeconds() {
        return (firstEnd - created) / 1e9;
    }
}
