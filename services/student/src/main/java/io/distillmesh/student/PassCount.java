package io.distillmesh.student;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The records read so far in one pass over a run's topic (each one, whether trained on, skipped or dead-lettered),
 * held against the count an end record declares. The producer writes its end record after every record it declares,
 * so one that comes before them is not the run's end.
 */
final class PassCount {
    private static final Logger LOG = LoggerFactory.getLogger(PassCount.class);
    private final String run;
    private long seen;

    PassCount(String run, long seen) {
        this.run = run;
        this.seen = seen;
    }

    void add() {
        seen++;
    }

    long seen() {
        return seen;
    }

    /** The pass is over: the next one counts from 0. */
    void restart() {
        seen = 0;
    }

    /**
     * Why {@code end}, an end record declaring {@code declared} records, cannot end this pass (logged as an error);
     * empty when it can.
     */
    Optional<String> earlyEnd(ConsumerRecord<?, ?> end, long declared) {
        String where = end.topic() + "/" + end.partition() + "@" + end.offset();
        if (seen < declared) {
            String reason = "run " + run + ": the end record at " + where + " declares " + declared
                    + " records, but the pass has read " + seen + "; not the run's end, reading on";
            LOG.error(reason);
            return Optional.of(reason);
        }
        if (seen > declared) {
            LOG.warn("run {}: the pass ended by {} read {} records, {} more than its end record declares", run, where,
                    seen, seen - declared);
        }
        return Optional.empty();
    }
}
