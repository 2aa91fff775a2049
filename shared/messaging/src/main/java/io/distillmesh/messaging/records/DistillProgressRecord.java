package io.distillmesh.messaging.records;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * One progress report of a distillation job on {@code dm.distill.progress} (keyed by job id): its state
 * (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED), the iteration reached of the total, the meta-loss, the
 * current step sizes, the estimated seconds left, and the failure cause when there is one. JSON,
 * versioned by {@code v}.
 */
public record DistillProgressRecord(String jobId, String state, int iteration, int iterations, double metaLoss,
                                    double[] stepSizes, double etaSeconds, String error) {
    public static final int VERSION = 1;
    private static final Set<String> STATES = Set.of("QUEUED", "RUNNING", "SUCCEEDED", "FAILED",
            "CANCELLED");

    public byte[] encode() {
        JsonArray sizes = new JsonArray();
        for (double size : stepSizes) {
            sizes.add(size);
        }
        return new JsonObject().put("v", VERSION).put("jobId", jobId).put("state", state)
                .put("iteration", iteration).put("iterations", iterations)
                .put("metaLoss", Double.isFinite(metaLoss) ? metaLoss : null).put("stepSizes", sizes)
                .put("etaSeconds", Double.isFinite(etaSeconds) ? etaSeconds : null).put("error", error)
                .toBuffer().getBytes();
    }

    public static DistillProgressRecord decode(byte[] bytes) {
        JsonObject json = JsonRecords.parse(bytes, "distill-progress");
        JsonRecords.requireVersion(json, VERSION, "distill-progress");
        try {
            Double loss = json.getDouble("metaLoss");
            Double eta = json.getDouble("etaSeconds");
            return usable(new DistillProgressRecord(JsonRecords.required(json, "jobId"),
                    JsonRecords.required(json, "state"), json.getInteger("iteration", 0), json.getInteger("iterations", 0),
                    loss == null ? Double.NaN : loss, JsonRecords.doubles(json.getJsonArray("stepSizes")),
                    eta == null ? Double.NaN : eta, json.getString("error")));
        } catch (RecordFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RecordFormatException("malformed distill-progress record: " + e.getMessage());
        }
    }

    /** Refuses a report a dashboard cannot show: an unknown state, an iteration outside [0, iterations], odd numbers. */
    private static DistillProgressRecord usable(DistillProgressRecord r) {
        if (!STATES.contains(r.state())) {
            throw new RecordFormatException("unknown state '" + r.state() + "', expected one of " + STATES);
        }
        if (r.iterations() < 0 || r.iteration() < 0 || r.iteration() > r.iterations()) {
            throw new RecordFormatException("iteration " + r.iteration() + " of " + r.iterations()
                    + ": needs 0 <= iteration <= iterations");
        }
        for (double size : r.stepSizes()) {
            if (!Double.isFinite(size)) {
                throw new RecordFormatException("step sizes must be finite, got " + size);
            }
        }
        if (!Double.isNaN(r.etaSeconds()) && !(r.etaSeconds() >= 0)) {
            throw new RecordFormatException("etaSeconds must be at least 0, got " + r.etaSeconds());
        }
        return r;
    }
}
