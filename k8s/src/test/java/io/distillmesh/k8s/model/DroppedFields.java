package io.distillmesh.k8s.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.List;

/**
 * A second guard behind the strict mapper: the parsed object, serialised again, must still hold every
 * field of the source with the same value. A field a model class reads but does not keep (ignored,
 * renamed, computed) shows up here. Fields the serialisation adds (defaults) are allowed.
 */
final class DroppedFields {
    private DroppedFields() {
    }

    static void check(JsonNode source, JsonNode reserialised, String path, List<String> errors) {
        if (source.isObject()) {
            for (Iterator<String> names = source.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                String at = path.isEmpty() ? name : path + "." + name;
                JsonNode back = reserialised == null ? null : reserialised.get(name);
                if (back == null || back.isNull() && !source.get(name).isNull()) {
                    if (!isEmpty(source.get(name))) {
                        errors.add(at + ": dropped by the typed model");
                    }
                } else {
                    check(source.get(name), back, at, errors);
                }
            }
        } else if (source.isArray()) {
            if (reserialised == null || !reserialised.isArray() || reserialised.size() != source.size()) {
                errors.add(path + ": list changed by the typed model");
                return;
            }
            for (int i = 0; i < source.size(); i++) {
                check(source.get(i), reserialised.get(i), path + "[" + i + "]", errors);
            }
        } else if (!sameScalar(source, reserialised)) {
            errors.add(path + ": " + source + " became " + reserialised);
        }
    }

    private static boolean isEmpty(JsonNode node) {
        return node.isNull() || (node.isContainerNode() && node.isEmpty());
    }

    private static boolean sameScalar(JsonNode a, JsonNode b) {
        if (b == null) {
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        // "1" and 1 are one value here: the strict mapper already refuses a scalar of the wrong type, and the
        // types that take both (Quantity, IntOrString) write a number back as a string
        return a.asText().equals(b.asText());
    }
}
