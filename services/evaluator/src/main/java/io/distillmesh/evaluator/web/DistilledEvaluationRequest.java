package io.distillmesh.evaluator.web;

import io.distillmesh.evaluator.distilled.DistilledEvaluationSettings;
import io.distillmesh.messaging.Topics;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * A POST /evaluations body for a distilled set: {@code jobId}, and either {@code artifactPath} (a DMDS artifact in
 * the artifact directory) or nothing more (the set the job announced on dm.distilled). Optional: {@code objective}
 * (e.g. {@code poisoning(9->7)}; default: the announced one, else classification) and {@code replicas} (K).
 * Null fields are absent ones.
 */
public record DistilledEvaluationRequest(String jobId, String artifactPath, String objective, Integer replicas) {
    private static final Set<String> FIELDS = Set.of("jobId", "artifactPath", "objective", "replicas");

    public static DistilledEvaluationRequest fromJson(JsonObject body) {
        for (String field : body.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "' for a distilled set, allowed: " + FIELDS);
            }
        }
        if (!(body.getValue("jobId") instanceof String jobId)) {
            throw new IllegalArgumentException("jobId (a string) is required");
        }
        try {
            Topics.requireValidRunId(jobId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("jobId: " + e.getMessage());
        }
        Object path = body.getValue("artifactPath");
        if (path != null && (!(path instanceof String p) || p.isBlank())) {
            throw new IllegalArgumentException("artifactPath must be a string: a DMDS artifact in the artifact directory");
        }
        Object objective = body.getValue("objective");
        if (objective != null && !(objective instanceof String)) {
            throw new IllegalArgumentException("objective must be a string such as classification or poisoning(9->7)");
        }
        Object replicas = body.getValue("replicas");
        if (replicas != null && (!(replicas instanceof Integer k) || k < 1 || k > DistilledEvaluationSettings.MAX_REPLICAS)) {
            throw new IllegalArgumentException("replicas must be an integer in 1.." + DistilledEvaluationSettings.MAX_REPLICAS);
        }
        return new DistilledEvaluationRequest(jobId, (String) path, (String) objective, (Integer) replicas);
    }
}
