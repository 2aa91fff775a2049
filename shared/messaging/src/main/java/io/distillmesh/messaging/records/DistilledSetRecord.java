package io.distillmesh.messaging.records;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the distiller publishes on {@code dm.distilled} (keyed by job id) when a job finishes: where the
 * artifact file ("DMDS", read with {@code DistilledArtifact.read}) and its PNG grid are, the SHA-256 of that file
 * (a reader checks that the file it opens is the one announced), the job's spec as submitted, and a summary
 * (objective, images, steps, epochs, final meta-loss, learned step sizes). A condensed set (objective
 * {@code distribution-matching}, {@code gradient-matching} or {@code mmd-matching}; a "DMCS" file, read with {@code CondensedArtifact.read}) has no steps, epochs or
 * step sizes (0, 0, empty) and its final matching loss in place of the meta-loss. JSON, versioned by {@code v}; the
 * images themselves stay in the artifact file.
 */
public record DistilledSetRecord(String jobId, String artifactPath, String sha256, String imagePath, String objective,
                                 int imagesPerClass, int steps, int epochs, int iterations, double finalMetaLoss,
                                 double[] stepSizes, JsonObject spec) {
    public static final int VERSION = 2;
    private static final java.util.regex.Pattern SHA_256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    public DistilledSetRecord {
        if (sha256 == null || !SHA_256.matcher(sha256).matches()) {
            throw new RecordFormatException("distilled-set record: sha256 must be 64 lower-case hex digits, got "
                    + sha256);
        }
    }

    public byte[] encode() {
        JsonArray sizes = new JsonArray();
        for (double size : stepSizes) {
            sizes.add(size);
        }
        return new JsonObject().put("v", VERSION).put("jobId", jobId).put("artifactPath", artifactPath)
                .put("sha256", sha256).put("imagePath", imagePath).put("objective", objective).put("imagesPerClass", imagesPerClass)
                .put("steps", steps).put("epochs", epochs).put("iterations", iterations)
                .put("finalMetaLoss", Double.isFinite(finalMetaLoss) ? finalMetaLoss : null)
                .put("stepSizes", sizes).put("spec", spec).toBuffer().getBytes();
    }

    public static DistilledSetRecord decode(byte[] bytes) {
        JsonObject json = JsonRecords.parse(bytes, "distilled-set");
        JsonRecords.requireVersion(json, VERSION, "distilled-set");
        try {
            Double loss = json.getDouble("finalMetaLoss");
            return new DistilledSetRecord(JsonRecords.required(json, "jobId"), JsonRecords.required(json, "artifactPath"),
                    JsonRecords.required(json, "sha256"), json.getString("imagePath"), JsonRecords.required(json, "objective"),
                    json.getInteger("imagesPerClass"), json.getInteger("steps"), json.getInteger("epochs"),
                    json.getInteger("iterations"), loss == null ? Double.NaN : loss,
                    JsonRecords.doubles(json.getJsonArray("stepSizes")), json.getJsonObject("spec"));
        } catch (RecordFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RecordFormatException("malformed distilled-set record: " + e.getMessage());
        }
    }
}
