package io.distillmesh.messaging.records;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One progress report of a distillation job on {@code dm.distill.progress} (keyed by job id): its state
 * (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED), the iteration reached of the total, the meta-loss, the
 * current step sizes, the estimated seconds left, and the failure cause when there is one. JSON,
 * versioned by {@code v}.
 */
public record DistillProgressRecord(String jobId, String state, int iteration, int iterations, double metaLoss,
                                    double[] stepSizes, double etaSeconds, String error) {
    public static final int VERSION = 1;

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
            return new DistillProgressRecord(JsonRecords.required(json, "jobId"), JsonRecords.required(json, "state"),
                    json.getInteger("iteration", 0), json.getInteger("iterations", 0),
                    loss == null ? Double.NaN : loss, JsonRecords.doubles(json.getJsonArray("stepSizes")),
                    eta == null ? Double.NaN : eta, json.getString("error"));
        } catch (RecordFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RecordFormatException("malformed distill-progress record: " + e.getMessage());
        }
    }
}
