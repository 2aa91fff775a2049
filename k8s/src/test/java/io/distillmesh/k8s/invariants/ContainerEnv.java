package io.distillmesh.k8s.invariants;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment a container gets, variable by variable, with where each value comes from: a literal,
 * a ConfigMap key (envFrom or configMapKeyRef, resolved in the overlay), a Secret key, or the pod's fields.
 * Problems (a ConfigMap that is not in the overlay, envFrom of a Secret whose keys no one can see, a
 * variable set twice) are collected rather than thrown.
 */
public final class ContainerEnv {
    public enum Kind { LITERAL, CONFIG_MAP, SECRET, FIELD }

    /** One variable's source; value is known for literals and ConfigMap keys. */
    public record Source(Kind kind, String value, String ref, String key) {
    }

    private final Map<String, Source> vars = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    public ContainerEnv(Container container, RenderedOverlay overlay) {
        for (EnvFromSource from : container.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getSecretRef() != null) {
                problems.add("envFrom Secret " + from.getSecretRef().getName() + ": its keys cannot be checked;"
                        + " reference each secret value with secretKeyRef");
            }
            if (from.getConfigMapRef() != null) {
                String name = from.getConfigMapRef().getName();
                Optional<ConfigMap> map = overlay.configMap(name);
                if (map.isEmpty()) {
                    problems.add("envFrom ConfigMap " + name + " is not in the overlay");
                    continue;
                }
                Map<String, String> data = map.get().getData() == null ? Map.of() : map.get().getData();
                data.forEach((key, value) -> put(prefix + key, new Source(Kind.CONFIG_MAP, value, name, key)));
            }
        }
        for (EnvVar var : container.getEnv()) {
            put(var.getName(), source(var, overlay));
        }
    }

    private Source source(EnvVar var, RenderedOverlay overlay) {
        if (var.getValueFrom() == null) {
            return new Source(Kind.LITERAL, var.getValue(), null, null);
        }
        var from = var.getValueFrom();
        if (var.getValue() != null) {
            problems.add(var.getName() + " has both value and valueFrom");
        }
        if (from.getSecretKeyRef() != null) {
            return new Source(Kind.SECRET, null, from.getSecretKeyRef().getName(), from.getSecretKeyRef().getKey());
        }
        if (from.getConfigMapKeyRef() != null) {
            String name = from.getConfigMapKeyRef().getName();
            String key = from.getConfigMapKeyRef().getKey();
            String value = overlay.configMap(name).map(c -> c.getData() == null ? null : c.getData().get(key)).orElse(null);
            if (value == null) {
                problems.add(var.getName() + ": ConfigMap " + name + " key " + key + " is not in the overlay");
            }
            return new Source(Kind.CONFIG_MAP, value, name, key);
        }
        return new Source(Kind.FIELD, null, null, null);
    }

    private void put(String name, Source source) {
        if (vars.containsKey(name)) {
            problems.add(name + " is set twice (" + vars.get(name) + " and " + source + ")");
        }
        vars.put(name, source);
    }

    public Map<String, Source> vars() {
        return vars;
    }

    public List<String> problems() {
        return problems;
    }

    /** The variables as a service would see them; secrets and pod fields as placeholders. */
    public Map<String, String> asEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        vars.forEach((name, source) -> env.put(name, source.value() != null ? source.value() : "<" + source.kind() + ">"));
        return env;
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(vars.get(name)).map(Source::value);
    }
}
