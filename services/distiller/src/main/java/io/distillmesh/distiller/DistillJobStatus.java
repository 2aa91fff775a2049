package io.distillmesh.distiller;

import io.distillmesh.core.train.Pace;
import io.distillmesh.messaging.records.DistillProgressRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Live state of one job, written by the worker that runs it and read by REST, metrics and progress records.
 * A cancel request is a flag the running job checks between inner steps; a queued job is cancelled at once.
 */
public final class DistillJobStatus {
    private final String jobId;
    private final DistillPlan plan;
    private final Instant submitted = Instant.now();
    private volatile JobState state = JobState.QUEUED;
    private volatile boolean cancelRequested;
    private volatile int iteration;
    private volatile double metaLoss = Double.NaN;
    private volatile double[] stepSizes = new double[0];
    private volatile double secondsPerIteration = Double.NaN;
    private volatile double iterationSeconds;
    private volatile Instant started;
    private volatile Instant finished;
    private volatile String artifactPath;
    private volatile String imagePath;
    private volatile String error;
    private volatile ValidationScore validation;

    public DistillJobStatus(String jobId, DistillPlan plan) {
        this.jobId = jobId;
        this.plan = plan;
    }

    public String jobId() {
        return jobId;
    }

    public DistillPlan plan() {
        return plan;
    }

    public JobState state() {
        return state;
    }

    public int iteration() {
        return iteration;
    }

    public double metaLoss() {
        return metaLoss;
    }

    public double[] stepSizes() {
        return stepSizes.clone();
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    /** Asks the job to stop; true unless it had already finished. A queued job is cancelled now. */
    public synchronized boolean requestCancel() {
        if (state.finished()) {
            return false;
        }
        cancelRequested = true;
        if (state == JobState.QUEUED) {
            finish(JobState.CANCELLED, null);
        }
        return true;
    }

    /** Moves a queued job to RUNNING; false when it was cancelled while it waited. */
    synchronized boolean start() {
        if (state != JobState.QUEUED) {
            return false;
        }
        started = Instant.now();
        state = JobState.RUNNING;
        return true;
    }

    /** Called by the job's worker after each meta-iteration, with the seconds it took. */
    void onIteration(int done, double loss, double[] sizes, double seconds) {
        iterationSeconds += seconds;
        iteration = done;
        metaLoss = loss;
        stepSizes = sizes.clone();
        secondsPerIteration = iterationSeconds / done;
    }

    /** With keepBestEvery: the latest check of the set on the held-out images. */
    void onValidation(ValidationScore score) {
        validation = score;
    }

    /** The latest validation check's accuracy, NaN before the first (a gauge's value). */
    public double validationAccuracy() {
        ValidationScore score = validation;
        return score == null ? Double.NaN : score.lastAccuracy();
    }

    void succeed(String artifact, String image) {
        artifactPath = artifact;
        imagePath = image;
        finish(JobState.SUCCEEDED, null);
    }

    synchronized void finish(JobState end, String cause) {
        error = cause;
        finished = Instant.now();
        state = end;
    }

    /** Seconds left at the pace so far; NaN before the first iteration and after the job. */
    public double etaSeconds() {
        return state == JobState.RUNNING ? Pace.secondsLeft(iterationSeconds, iteration, plan.spec().iterations())
                : Double.NaN;
    }

    public DistillProgressRecord progressRecord() {
        return new DistillProgressRecord(jobId, state.name(), iteration, plan.spec().iterations(), metaLoss, stepSizes,
                etaSeconds(), error);
    }

    public JsonObject toJson() {
        JsonArray sizes = new JsonArray();
        for (double s : stepSizes) {
            sizes.add(s);
        }
        JsonObject json = new JsonObject().put("jobId", jobId).put("state", state.name()).put("spec", plan.spec().toJson())
                .put("iteration", iteration).put("iterations", plan.spec().iterations())
                .put("metaLoss", finite(metaLoss)).put("stepSizes", sizes)
                .put("secondsPerIteration", finite(secondsPerIteration)).put("etaSeconds", finite(etaSeconds()))
                .put("memoryEstimateBytes", plan.memoryEstimateBytes()).put("submitted", submitted.toString())
                .put("cancelRequested", cancelRequested);
        putIfSet(json, "started", started == null ? null : started.toString());
        putIfSet(json, "finished", finished == null ? null : finished.toString());
        putIfSet(json, "artifactPath", artifactPath);
        putIfSet(json, "imagePath", imagePath);
        putIfSet(json, "error", error);
        ValidationScore score = validation;
        if (score != null) {
            json.put("validationChecks", score.toJson());
        }
        return json;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static void putIfSet(JsonObject json, String key, String value) {
        if (value != null) {
            json.put(key, value);
        }
    }
}
