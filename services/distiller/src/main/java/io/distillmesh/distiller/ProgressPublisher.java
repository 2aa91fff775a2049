package io.distillmesh.distiller;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.records.DistillProgressRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends a job's progress to {@code dm.distill.progress}, keyed by job id: every state change, and iterations
 * at most once per {@code minIntervalMillis} (a fast job's iterations would otherwise flood the topic). One per job.
 * Best effort: a record that cannot be sent is reported and the job goes on (its status stays in GET /jobs/{id}).
 */
final class ProgressPublisher {
    private final Producer<String, byte[]> producer;
    private final DistillJobStatus job;
    private final long minIntervalNanos;
    private long lastSent = Long.MIN_VALUE;

    ProgressPublisher(Producer<String, byte[]> producer, DistillJobStatus job, long minIntervalMillis) {
        this.producer = producer;
        this.job = job;
        this.minIntervalNanos = minIntervalMillis * 1_000_000L;
    }

    /** An iteration finished: sent unless one went out less than the interval ago. */
    void iteration() {
        long now = System.nanoTime();
        if (lastSent == Long.MIN_VALUE || now - lastSent >= minIntervalNanos) {
            send();
        }
    }

    /** The job's state changed: always sent. */
    void stateChanged() {
        send();
    }

    private void send() {
        lastSent = System.nanoTime();
        DistillProgressRecord record = job.progressRecord();
        try {
            producer.send(new ProducerRecord<>(Topics.DISTILL_PROGRESS, job.jobId(), record.encode()), (meta, e) -> {
                if (e != null) {
                    report(e);
                }
            });
        } catch (RuntimeException e) {
            report(e);
        }
    }

    private void report(Exception e) {
        System.err.println("distiller: progress of job " + job.jobId() + " not sent to " + Topics.DISTILL_PROGRESS + ": "
                + e.getMessage());
    }
}
