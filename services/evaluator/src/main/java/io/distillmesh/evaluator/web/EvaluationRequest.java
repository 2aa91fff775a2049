package io.distillmesh.evaluator.web;

import io.distillmesh.messaging.Topics;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/** A POST /evaluations body: evaluate the model file {@code modelPath} (in the artifact directory) as {@code studentId}. */
public record EvaluationRequest(String studentId, String modelPath) {
    private static final Set<String> FIELDS = Set.of("studentId", "modelPath");

    public static EvaluationRequest fromJson(JsonObject body) {
        if (body == null) {
            throw new IllegalArgumentException("request body must be a JSON object {\"studentId\": ..., \"modelPath\": ...}");
        }
        for (String field : body.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "', allowed: " + FIELDS);
            }
        }
        if (!(body.getValue("studentId") instanceof String studentId)) {
            throw new IllegalArgumentException("studentId (a string) is required (or jobId, for a distilled set)");
        }
        if (!(body.getValue("modelPath") instanceof String modelPath) || modelPath.isBlank()) {
            throw new IllegalArgumentException("modelPath (a string: a model file in the artifact directory) is required");
        }
        try {
            Topics.requireValidRunId(studentId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("studentId: " + e.getMessage());
        }
        return new EvaluationRequest(studentId, modelPath);
    }
}
