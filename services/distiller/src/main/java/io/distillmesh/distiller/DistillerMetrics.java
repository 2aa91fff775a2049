package io.distillmesh.distiller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The distiller's metrics (docs/METRICS.md): jobs per state and finished jobs per outcome; the time of every
 * meta-iteration; and, while a job runs, its iteration, meta-loss and learned step sizes under the label
 * {@code distill_job} (Prometheus keeps {@code job} for the scrape job). A job's series go when it ends, so
 * the labels stay bounded by the jobs running at once.
 */
public final class DistillerMetrics {
    private final MeterRegistry registry;
    private final Timer iterationTime;
    private final Map<JobState, Counter> finished = new EnumMap<>(JobState.class);

    public DistillerMetrics(MeterRegistry registry, Supplier<Collection<DistillJobStatus>> jobs) {
        this.registry = registry;
        for (JobState state : JobState.values()) {
            Gauge.builder("dm.distiller.jobs", () -> jobs.get().stream().filter(j -> j.state() == state).count())
                    .description("distillation jobs the service holds, by state").tag("state", state.name())
                    .register(registry);
            if (state.finished()) {
                finished.put(state, Counter.builder("dm.distiller.jobs.finished")
                        .description("distillation jobs that ended, by how").tag("state", state.name()).register(registry));
            }
        }
        this.iterationTime = Timer.builder("dm.distiller.iteration.duration")
                .description("time of one meta-iteration (inner unroll, meta-gradient, update)")
                .publishPercentileHistogram().register(registry);
    }

    /** The gauges of one running job; close them when it ends. */
    public JobMeters forJob(DistillJobStatus job) {
        List<Meter> meters = new ArrayList<>();
        String id = job.jobId();
        meters.add(Gauge.builder("dm.distiller.iteration", job, DistillJobStatus::iteration)
                .description("meta-iterations a running job has completed").tag("distill_job", id).register(registry));
        meters.add(Gauge.builder("dm.distiller.meta.loss", job, DistillJobStatus::metaLoss)
                .description("meta-loss of a running job's last iteration").tag("distill_job", id).register(registry));
        if (job.plan().spec().keepBestEvery() > 0) {
            meters.add(Gauge.builder("dm.distiller.validation.accuracy", job, DistillJobStatus::validationAccuracy)
                    .description("accuracy on the held-out images of a keepBestEvery job's set at its latest check")
                    .tag("distill_job", id).register(registry));
        }
        int steps = job.plan().spec().condenses() ? 0 : (int) job.plan().spec().totalSteps();
        for (int t = 0; t < steps; t++) {
            int step = t;
            meters.add(Gauge.builder("dm.distiller.step.size", job, j -> stepSize(j, step))
                    .description("learned step size η_t of a running job").tag("distill_job", id)
                    .tag("step", Integer.toString(step)).register(registry));
        }
        return new JobMeters(meters);
    }

    void recordIteration(double seconds) {
        iterationTime.record((long) (seconds * 1e9), TimeUnit.NANOSECONDS);
    }

    void jobFinished(JobState state) {
        finished.get(state).increment();
    }

    private static double stepSize(DistillJobStatus job, int step) {
        double[] sizes = job.stepSizes();
        return step < sizes.length ? sizes[step] : Double.NaN;
    }

    /** A running job's gauges, removed from the registry on close. */
    public final class JobMeters implements AutoCloseable {
        private final List<Meter> meters;

        private JobMeters(List<Meter> meters) {
            this.meters = meters;
        }

        @Override
        public void close() {
            meters.forEach(registry::remove);
        }
    }
}
