package io.distillmesh.evaluator.web;

import io.distillmesh.messaging.records.DistillProgressRecord;
import io.distillmesh.messaging.records.DistilledSetRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the dashboard shows of each distillation job, from dm.distill.progress and dm.distilled: its state, its
 * meta-loss per iteration, its current learned step sizes, and the finished set's announcement. Kept in memory
 * only (the topics are read from their beginning at every start); results live on dm.eval.results. Thread-safe.
 */
public final class DistillationJobs {
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    public DistillationJobs(MeterRegistry registry) {
        Gauge.builder("dm.evaluator.distillation.jobs", this, DistillationJobs::size)
                .description("distillation jobs seen on dm.distill.progress or dm.distilled").register(registry);
    }

    /** Applies a progress report; returns the dashboard's event for it (the job's summary and the new point). */
    public synchronized JsonObject apply(DistillProgressRecord progress) {
        Job job = jobs.computeIfAbsent(progress.jobId(), Job::new);
        job.state = progress.state();
        job.iteration = progress.iteration();
        job.iterations = progress.iterations();
        job.etaSeconds = progress.etaSeconds();
        job.error = progress.error();
        if (progress.stepSizes().length > 0) {
            job.stepSizes = progress.stepSizes().clone();
        }
        JsonObject point = null;
        if (Double.isFinite(progress.metaLoss()) && progress.iteration() > 0) {
            job.metaLoss.put(progress.iteration(), progress.metaLoss());
            point = point(progress.iteration(), progress.metaLoss());
        }
        return job.summary().put("point", point);
    }

    /** Applies a finished set's announcement; returns the dashboard's event for it. */
    public synchronized JsonObject apply(DistilledSetRecord distilled) {
        Job job = jobs.computeIfAbsent(distilled.jobId(), Job::new);
        job.distilled = distilled;
        if (job.stepSizes.length == 0) {
            job.stepSizes = distilled.stepSizes().clone();
        }
        return job.summary().put("point", null);
    }

    public synchronized JsonArray all() {
        return new JsonArray(jobs.values().stream().map(Job::toJson).toList());
    }

    public synchronized Optional<JsonObject> job(String jobId) {
        Job job = jobs.get(jobId);
        return Optional.ofNullable(job == null ? null : job.toJson());
    }

    /** The job's finished set as announced on dm.distilled, if it was. */
    public synchronized Optional<DistilledSetRecord> distilled(String jobId) {
        Job job = jobs.get(jobId);
        return Optional.ofNullable(job == null ? null : job.distilled);
    }

    public synchronized int size() {
        return jobs.size();
    }

    private static JsonObject point(int iteration, double metaLoss) {
        return new JsonObject().put("iteration", iteration).put("metaLoss", metaLoss);
    }

    private static JsonArray numbers(double[] values) {
        return new JsonArray(Arrays.stream(values).boxed().toList());
    }

    private static final class Job {
        private final String jobId;
        private final TreeMap<Integer, Double> metaLoss = new TreeMap<>();
        private String state = "UNKNOWN";
        private int iteration;
        private int iterations;
        private double etaSeconds = Double.NaN;
        private String error;
        private double[] stepSizes = new double[0];
        private DistilledSetRecord distilled;

        Job(String jobId) {
            this.jobId = jobId;
        }

        JsonObject summary() {
            JsonObject json = new JsonObject().put("jobId", jobId).put("state", state).put("iteration", iteration)
                    .put("iterations", iterations).put("etaSeconds", Double.isFinite(etaSeconds) ? etaSeconds : null)
                    .put("error", error).put("stepSizes", numbers(stepSizes));
            if (distilled != null) {
                json.put("distilled", new JsonObject().put("artifactPath", distilled.artifactPath())
                        .put("objective", distilled.objective()).put("imagesPerClass", distilled.imagesPerClass())
                        .put("steps", distilled.steps()).put("epochs", distilled.epochs())
                        .put("iterations", distilled.iterations())
                        .put("finalMetaLoss", Double.isFinite(distilled.finalMetaLoss()) ? distilled.finalMetaLoss() : null)
                        .put("stepSizes", numbers(distilled.stepSizes())));
            }
            return json;
        }

        JsonObject toJson() {
            JsonArray curve = new JsonArray();
            metaLoss.forEach((it, loss) -> curve.add(point(it, loss)));
            return summary().put("metaLoss", curve);
        }
    }
}
