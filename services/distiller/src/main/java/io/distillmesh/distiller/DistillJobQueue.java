package io.distillmesh.distiller;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.records.DistillProgressRecord;
import io.vertx.core.WorkerExecutor;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The jobs the service holds and the workers that run them: a job is queued on a worker executor whose pool
 * size is the configured concurrency (one job at a time by default), so jobs never run on the event loop
 * and wait their turn in submission order.
 */
final class DistillJobQueue {
    private final Map<String, DistillJobStatus> jobs = new ConcurrentHashMap<>();
    private final AtomicLong order = new AtomicLong();
    private final Map<String, Long> submissionOrder = new ConcurrentHashMap<>();
    private final WorkerExecutor workers;
    private final JobRunContext context;

    DistillJobQueue(WorkerExecutor workers, JobRunContext context) {
        this.workers = workers;
        this.context = context;
    }

    /** Queues a validated job; refuses a job id already taken. Blocking (announces the job on Kafka). */
    DistillJobStatus submit(String jobId, DistillPlan plan) {
        DistillJobStatus job = new DistillJobStatus(jobId, plan);
        if (jobs.putIfAbsent(jobId, job) != null) {
            throw new JobConflictException("job '" + jobId + "' already exists");
        }
        submissionOrder.put(jobId, order.incrementAndGet());
        announce(job.progressRecord());
        DistillJobRunner runner = new DistillJobRunner(job, context);
        workers.executeBlocking(() -> {
            runner.run();
            return null;
        }, false);
        return job;
    }

    Optional<DistillJobStatus> get(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /** Every job in submission order. */
    List<DistillJobStatus> list() {
        return jobs.values().stream().sorted((a, b) -> Long.compare(submissionOrder.get(a.jobId()),
                submissionOrder.get(b.jobId()))).toList();
    }

    Collection<DistillJobStatus> all() {
        return jobs.values();
    }

    /**
     * Asks a job to stop: a queued one ends CANCELLED now, a running one at its next check (before each inner step
     * and step back, each chunk of the real batch), dropping the iteration it was in.
     * False when it had already finished. Blocking when it cancels a queued job (announces it on Kafka).
     */
    boolean cancel(DistillJobStatus job) {
        boolean wasQueued = job.state() == JobState.QUEUED;
        boolean accepted = job.requestCancel();
        if (accepted && wasQueued && job.state() == JobState.CANCELLED) {
            context.metrics().jobFinished(JobState.CANCELLED);
            announce(job.progressRecord());
        }
        return accepted;
    }

    /** Stops every job at its next check (service shutdown). */
    void cancelAll() {
        jobs.values().forEach(DistillJobStatus::requestCancel);
    }

    private void announce(DistillProgressRecord record) {
        context.producer().send(new ProducerRecord<>(Topics.DISTILL_PROGRESS, record.jobId(), record.encode()));
    }
}
