package io.distillmesh.k8s.mesh;

import io.distillmesh.messaging.vertx.ServiceConfig;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A mesh service as its code declares it: its name (the Maven module services/NAME and the image
 * ghcr.io/distill-mesh/NAME), its config defaults (every key of which is read from DM_ + key), and a check
 * of a loaded config that the service would run (its settings as the service reads them at start).
 */
public record MeshService(String name, JsonObject defaults, Consumer<JsonObject> validator) {
    /** Variables ServiceLauncher reads for every service, besides the declared keys. */
    public static final Set<String> LAUNCHER_VARIABLES = Set.of("DM_CONFIG");
    private static final Pattern SENSITIVE = Pattern.compile("(?i).*(token|password|jaas|secret|credential).*");

    /** Every DM_ variable the service reads. */
    public Set<String> reads() {
        Set<String> vars = new TreeSet<>(required());
        vars.addAll(LAUNCHER_VARIABLES);
        return vars;
    }

    /** The variables a manifest must set: one per declared key, so nothing runs on a default by accident. */
    public Set<String> required() {
        Set<String> vars = new TreeSet<>();
        defaults.fieldNames().forEach(key -> vars.add(ServiceConfig.envName(key)));
        return vars;
    }

    /** Variables that hold secrets: they must come from a Secret, never a literal or a ConfigMap. */
    public static boolean isSensitive(String variable) {
        return SENSITIVE.matcher(variable).matches();
    }
}
