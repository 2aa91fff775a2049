package io.distillmesh.messaging.records;

import io.vertx.core.json.JsonObject;

/**
 * What a student publishes on {@code dm.checkpoints} (keyed by student id) each time it saves: where the
 * model file is, how far through the run's stream it has trained, its last loss, and its spec. JSON,
 * versioned by the field {@code v}; the model itself stays in the artifact store.
 */
public record CheckpointRecord(String studentId, String runId, String modelPath, int pass, int epochs, long offset,
                               long samplesTrained, double loss, JsonObject spec) {
    public static final int VERSION = 1;

    public byte[] encode() {
        return new JsonObject().put("v", VERSION).put("studentId", studentId).put("runId", runId)
                .put("modelPath", modelPath).put("pass", pass).put("epochs", epochs).put("offset", offset)
                .put("samplesTrained", samplesTrained).put("loss", Double.isFinite(loss) ? loss : null)
                .put("spec", spec).toBuffer().getBytes();
    }

    public static CheckpointRecord decode(byte[] bytes) {
        JsonObject json = JsonRecords.parse(bytes, "checkpoint");
        JsonRecords.requireVersion(json, VERSION, "checkpoint");
        try {
            Double loss = json.getDouble("loss");
            return new CheckpointRecord(json.getString("studentId"), json.getString("runId"), json.getString("modelPath"),
                    json.getInteger("pass"), json.getInteger("epochs"), json.getLong("offset"),
                    json.getLong("samplesTrained"), loss == null ? Double.NaN : loss, json.getJsonObject("spec"));
        } catch (RuntimeException e) {
            throw new RecordFormatException("malformed checkpoint record: " + e.getMessage());
        }
    }
}
