package io.distillmesh.k8s.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillmesh.k8s.model.keda.ScaledObject;
import io.distillmesh.k8s.model.keda.TriggerSchemas;
import io.fabric8.kubernetes.client.CustomResource;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one manifest document into its typed model (fabric8 for Kubernetes and the Prometheus Operator,
 * Strimzi's api for Kafka, hand-written records for KEDA), strictly: unknown fields, wrong scalar types,
 * fields of another API version and fields the model would drop all fail, with the document's path.
 */
public final class TypedManifests {
    private TypedManifests() {
    }

    public static Object parse(ObjectNode doc) {
        ObjectMapper mapper = StrictMapper.get();
        String apiVersion = text(doc, "apiVersion");
        String kind = text(doc, "kind");
        String name = doc.path("metadata").path("name").asText("");
        String what = kind + "/" + name;
        if (name.isEmpty()) {
            throw new InvalidManifestException(what + ": metadata.name is required");
        }
        Class<?> model;
        Object parsed;
        try {
            model = KindRegistry.modelFor(apiVersion, kind);
            parsed = mapper.treeToValue(doc, model);
            if (parsed instanceof ScaledObject scaled) {
                scaled.spec().triggers().forEach(t -> TriggerSchemas.metadataOf(t, mapper));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidManifestException(what + ": " + e.getMessage(), e);
        }
        List<String> errors = new ArrayList<>();
        ObjectNode back = StrictMapper.serialiser().valueToTree(parsed);
        if (parsed instanceof CustomResource<?, ?>) {
            // fabric8's CustomResource reports the apiVersion of its @Version annotation, not the one it read;
            // KindRegistry has already matched the source's apiVersion.
            back.put("apiVersion", apiVersion);
        }
        DroppedFields.check(doc, back, "", errors);
        ApiVersionFields.check(doc, parsed, apiVersion, mapper, errors);
        if (!back.path("apiVersion").asText().equals(apiVersion) || !back.path("kind").asText().equals(kind)) {
            errors.add("apiVersion/kind read as " + back.path("apiVersion").asText() + "/" + back.path("kind").asText());
        }
        if (!errors.isEmpty()) {
            throw new InvalidManifestException(what + ": " + String.join("; ", errors));
        }
        return parsed;
    }

    @SuppressWarnings("unchecked")
    public static <T> T parse(ObjectNode doc, Class<T> expected) {
        Object parsed = parse(doc);
        if (!expected.isInstance(parsed)) {
            throw new InvalidManifestException(doc.path("kind").asText() + " is not a " + expected.getSimpleName());
        }
        return (T) parsed;
    }

    private static String text(ObjectNode doc, String field) {
        JsonNode value = doc.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new InvalidManifestException("a document without " + field + ": " + doc);
        }
        return value.asText();
    }

    /** A manifest the typed model refuses, with the reason. */
    public static final class InvalidManifestException extends RuntimeException {
        public InvalidManifestException(String message) {
            super(message);
        }

        public InvalidManifestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
