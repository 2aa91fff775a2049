package io.distillmesh.core.artifact;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Collection;
import java.util.List;

/**
 * Says which field of an init spec could not be bound and why, in the document's terms
 * ({@code init spec field 'network.hidden[1]' must be a 32-bit integer, got 84.5}) rather than Jackson's.
 */
final class InitSpecFieldError {
    private InitSpecFieldError() {
    }

    static IllegalArgumentException of(JsonNode root, JsonMappingException e) {
        return new IllegalArgumentException("init spec field '" + fieldPath(e) + "' " + problem(root, e), e);
    }

    /** Where the mapping failed, as {@code network.hidden[1]}. */
    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String problem(JsonNode root, JsonMappingException e) {
        JsonPointer pointer = JsonPointer.empty();
        for (JsonMappingException.Reference ref : e.getPath()) {
            pointer = ref.getFieldName() != null ? pointer.appendProperty(ref.getFieldName())
                    : pointer.appendIndex(ref.getIndex());
        }
        JsonNode value = root.at(pointer);
        if (value.isMissingNode()) {
            return "is missing";
        }
        if (value.isNull()) {
            return "must not be null";
        }
        String expected = expected(targetType(e));
        return expected == null ? e.getOriginalMessage() : "must be " + expected + ", got " + value;
    }

    /** What the failed value was to become: for an element of a primitive array, the element's type. */
    private static Class<?> targetType(JsonMappingException e) {
        Class<?> type = e instanceof MismatchedInputException m ? m.getTargetType()
                : e.getCause() instanceof InputCoercionException c ? c.getTargetType() : null;
        List<JsonMappingException.Reference> path = e.getPath();
        boolean element = !path.isEmpty() && path.get(path.size() - 1).getFieldName() == null;
        return element && type != null && type.isArray() ? type.getComponentType() : type;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (type == int.class || type == Integer.class) {
            return "a 32-bit integer";
        }
        if (type == long.class || type == Long.class) {
            return "a 64-bit integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        return type.isArray() || Collection.class.isAssignableFrom(type) ? "an array" : "an object";
    }
}
