package io.distillmesh.k8s.model;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.strimzi.crdgenerator.annotations.PresentInVersions;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fields that the model class has but the manifest's API version does not: Strimzi's classes serve
 * v1beta2 and v1 at once and mark what exists only in some versions with {@link PresentInVersions}
 * (spec.kafka.replicas, spec.kafka.storage, an ACL's single "operation" are v1beta2 only). Walks the
 * source tree alongside the parsed object and reports each such field with its path.
 */
final class ApiVersionFields {
    private static final Pattern VERSION = Pattern.compile("v(\\d+)(alpha|beta)?(\\d*)");

    private ApiVersionFields() {
    }

    static void check(JsonNode source, Object parsed, String apiVersion, ObjectMapper mapper, List<String> errors) {
        String version = apiVersion.substring(apiVersion.lastIndexOf('/') + 1);
        walk(source, parsed, version, "", mapper, errors);
    }

    private static void walk(JsonNode node, Object value, String version, String path, ObjectMapper mapper,
                             List<String> errors) {
        if (value == null || node == null) {
            return;
        }
        if (node.isArray() && value instanceof List<?> list) {
            for (int i = 0; i < Math.min(node.size(), list.size()); i++) {
                walk(node.get(i), list.get(i), version, path + "[" + i + "]", mapper, errors);
            }
            return;
        }
        if (!node.isObject() || value instanceof Map || value instanceof Collection || value instanceof JsonNode
                || value.getClass().getName().startsWith("java.")) {
            return;
        }
        BeanDescription bean = mapper.getSerializationConfig().introspect(mapper.constructType(value.getClass()));
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            BeanPropertyDefinition property = bean.findProperties().stream()
                    .filter(p -> p.getName().equals(name)).findFirst().orElse(null);
            if (property == null || property.getAccessor() == null) {
                continue;
            }
            AnnotatedMember accessor = property.getAccessor();
            PresentInVersions present = accessor.getAnnotation(PresentInVersions.class);
            if (present == null && property.getField() != null) {
                present = property.getField().getAnnotation(PresentInVersions.class);
            }
            String at = path.isEmpty() ? name : path + "." + name;
            if (present != null && !inRange(version, present.value())) {
                errors.add(at + ": not in API version " + version + " (only " + present.value() + ")");
                continue;
            }
            walk(node.get(name), accessor.getValue(value), version, at, mapper, errors);
        }
    }

    /** "v1beta2", "v1beta2+", "v1alpha1-v1beta2" (or several, comma separated). */
    static boolean inRange(String version, String ranges) {
        for (String range : ranges.split(",")) {
            String r = range.trim();
            if (r.endsWith("+")) {
                if (compare(version, r.substring(0, r.length() - 1)) >= 0) {
                    return true;
                }
            } else if (r.contains("-")) {
                String[] ends = r.split("-");
                if (compare(version, ends[0]) >= 0 && compare(version, ends[1]) <= 0) {
                    return true;
                }
            } else if (compare(version, r) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Kubernetes version order: v1alpha1 < v1beta1 < v1beta2 < v1 < v2alpha1 ... */
    static int compare(String a, String b) {
        return Long.compare(rank(a), rank(b));
    }

    private static long rank(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Kubernetes API version: " + version);
        }
        int stage = m.group(2) == null ? 2 : m.group(2).equals("beta") ? 1 : 0;
        long minor = m.group(3).isEmpty() ? 0 : Long.parseLong(m.group(3));
        return Long.parseLong(m.group(1)) * 1_000_000 + stage * 10_000 + minor;
    }
}
