package io.distillmesh.student;

import io.distillmesh.messaging.records.RunEndRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The records and samples read so far in one pass over a run's topic (each record, whether trained on, skipped or
 * dead-lettered; the samples of those that decode), held against what an end record declares. The producer writes its
 * end record after every record it declares, so one that comes before them is not the run's end.
 */
final class PassCount {
    private static final Logger LOG = LoggerFactory.getLogger(PassCount.class);
    private final String run;
    private long records;
    private long samples;

    PassCount(String run, long records, long samples) {
        this.run = run;
        this.records = records;
        this.samples = samples;
    }

    /** One more record, holding {@code samples} samples (0 for one that cannot be decoded). */
    void add(int samples) {
        records++;
        this.samples += samples;
    }

    long records() {
        return records;
    }

    long samples() {
        return samples;
    }

    /** The pass is over: the next one counts from 0. */
    void restart() {
        records = 0;
        samples = 0;
    }

    /**
     * Why {@code end}, an end record declaring {@code declaredRecords} records ({@link RunEndRecord#RECORDS_UNKNOWN}
     * for an end written by a teacher of one record a sample) and {@code declaredSamples} samples, cannot end this
     * pass (logged as an error); empty when it can. An end that does not count records ends the pass once as many records or as many
     * samples as it declares samples have been read: a stream whose pieces teachers of both layouts wrote ends too.
     */
    Optional<String> earlyEnd(ConsumerRecord<?, ?> end, long declaredRecords, long declaredSamples) {
        String where = end.topic() + "/" + end.partition() + "@" + end.offset();
        boolean recordsUnknown = declaredRecords == RunEndRecord.RECORDS_UNKNOWN;
        boolean complete = recordsUnknown ? records >= declaredSamples || samples >= declaredSamples
                : records >= declaredRecords;
        long declared = recordsUnknown ? declaredSamples : declaredRecords;
        if (!complete) {
            String reason = "run " + run + ": the end record at " + where + " declares " + declared
                    + (recordsUnknown ? " samples" : " records") + ", but the pass has read "
                    + records + " records (" + samples + " samples); not the run's end, reading on";
            LOG.error(reason);
            return Optional.of(reason);
        }
        if (records > declared && !recordsUnknown) {
            LOG.warn("run {}: the pass ended by {} read {} records, {} more than its end record declares", run, where,
                    records, records - declared);
        }
        return Optional.empty();
    }
}
