package io.distillmesh.k8s.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * The part of Kubernetes' strategic merge patch the overlays use: maps merge key by key, null deletes,
 * and the lists Kubernetes declares a merge key for (containers, env, volumes, volumeMounts, ports, ...)
 * merge element by element on that key; every other list, and every list of a custom resource (no schema,
 * as in kustomize), is replaced. Directives ($patch, $setElementOrder, $retainKeys) are refused.
 */
public final class StrategicMergePatch {
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "ephemeralContainers", "name",
            "volumes", "name",
            "env", "name",
            "imagePullSecrets", "name",
            "volumeMounts", "mountPath");

    private StrategicMergePatch() {
    }

    /** Merges {@code patch} into {@code target} in place; builtIn says whether Kubernetes' merge keys apply. */
    public static void apply(ObjectNode target, ObjectNode patch, boolean builtIn) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.startsWith("$")) {
                throw new UnsupportedOperationException("strategic-merge directive " + key + " is not implemented");
            }
            JsonNode current = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && current != null && current.isObject()) {
                apply((ObjectNode) current, (ObjectNode) value, builtIn);
            } else if (value.isArray() && current != null && current.isArray() && builtIn
                    && mergeKey(key, (ArrayNode) value, (ArrayNode) current) != null) {
                mergeList((ArrayNode) current, (ArrayNode) value, mergeKey(key, (ArrayNode) value, (ArrayNode) current),
                        builtIn);
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    static String mergeKey(String field, ArrayNode patch, ArrayNode current) {
        if (field.equals("ports")) {
            // a container's ports merge on containerPort, a Service's on port
            JsonNode sample = patch.isEmpty() ? current.path(0) : patch.get(0);
            return sample.has("containerPort") ? "containerPort" : "port";
        }
        return MERGE_KEYS.get(field);
    }

    private static void mergeList(ArrayNode current, ArrayNode patch, String key, boolean builtIn) {
        for (JsonNode element : patch) {
            if (!element.isObject() || !element.has(key)) {
                throw new IllegalArgumentException("a patch list element without its merge key '" + key + "': " + element);
            }
            ObjectNode match = null;
            for (JsonNode existing : current) {
                if (existing.isObject() && element.get(key).equals(existing.get(key))) {
                    match = (ObjectNode) existing;
                }
            }
            if (match == null) {
                current.add(element.deepCopy());
            } else {
                apply(match, (ObjectNode) element, builtIn);
            }
        }
    }
}
