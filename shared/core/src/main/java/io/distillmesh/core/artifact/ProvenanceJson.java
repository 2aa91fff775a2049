package io.distillmesh.core.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON form of a {@link Provenance}, version 1:
 * <pre>
 * {"format":"distill-mesh/provenance","version":1,"producer":"distiller","producerVersion":"0.1.0",
 *  "objective":"poisoning","poisoning":true,"job":{...the job spec...},"parentSha256":"","created":"2026-12-06T06:00:00Z"}
 * </pre>
 * Reading is strict (every field required with its JSON type; {@code poisoning} must agree with the objective) and
 * an error names the field.
 */
public final class ProvenanceJson {
    public static final String FORMAT = "distill-mesh/provenance";
    public static final int VERSION = 1;

    private ProvenanceJson() {
    }

    public static String write(Provenance p) {
        ObjectNode root = StrictJson.MAPPER.createObjectNode();
        root.put("format", FORMAT).put("version", VERSION).put("producer", p.producer())
                .put("producerVersion", p.producerVersion()).put("objective", p.objective())
                .put("poisoning", p.poisoning());
        root.set("job", jobObject(p.jobSpec()));
        root.put("parentSha256", p.parentSha256()).put("created", p.created());
        try {
            return StrictJson.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write provenance", e);
        }
    }

    public static Provenance read(String json) {
        JsonNode root = parse(json, "provenance");
        if (!root.isObject()) {
            throw new IllegalArgumentException("provenance must be a JSON object");
        }
        if (!FORMAT.equals(root.path("format").textValue())) {
            throw new IllegalArgumentException("not a provenance document: format is " + root.path("format")
                    + ", expected " + FORMAT);
        }
        if (!root.path("version").isIntegralNumber() || root.path("version").intValue() != VERSION) {
            throw new IllegalArgumentException("unknown provenance version " + root.path("version")
                    + " (this reader knows " + VERSION + ")");
        }
        JsonNode job = root.path("job");
        if (!job.isObject()) {
            throw new IllegalArgumentException("provenance field 'job' must be a JSON object, got " + job);
        }
        JsonNode poisoning = root.path("poisoning");
        if (!poisoning.isBoolean()) {
            throw new IllegalArgumentException("provenance field 'poisoning' must be true or false, got " + poisoning);
        }
        Provenance p = new Provenance(text(root, "producer"), text(root, "producerVersion"), text(root, "objective"),
                job.toString(), text(root, "parentSha256"), text(root, "created"));
        if (p.poisoning() != poisoning.booleanValue()) {
            throw new IllegalArgumentException("provenance field 'poisoning' is " + poisoning + " but the objective is "
                    + p.objective());
        }
        return p;
    }

    static JsonNode jobObject(String jobSpec) {
        JsonNode job = parse(jobSpec, "the job spec");
        if (!job.isObject()) {
            throw new IllegalArgumentException("the job spec must be a JSON object");
        }
        return job;
    }

    private static JsonNode parse(String json, String what) {
        try {
            return StrictJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.path(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("provenance field '" + field + "' must be a string, got " + value);
        }
        return value.textValue();
    }
}
