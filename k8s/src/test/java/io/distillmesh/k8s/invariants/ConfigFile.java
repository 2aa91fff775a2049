package io.distillmesh.k8s.invariants;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The config file a mesh container's service reads, as ServiceLauncher finds it (the first argument, else DM_CONFIG),
 * followed through the container's volume mounts to a ConfigMap key of the overlay. A file that cannot be followed
 * there (no mount holds it, a volume that is no ConfigMap, a map or key the overlay lacks, content that is no JSON
 * object) is a problem, collected rather than thrown.
 */
public final class ConfigFile {
    private final String path;
    private String content;
    private final List<String> problems = new ArrayList<>();

    public ConfigFile(Workload workload, Container container, ContainerEnv env, RenderedOverlay overlay) {
        List<String> args = container.getArgs();
        path = !args.isEmpty() ? args.get(0) : env.value("DM_CONFIG").filter(p -> !p.isBlank()).orElse(null);
        if (path != null) {
            content = locate(workload, container, overlay);
        }
        if (content != null) {
            try {
                new JsonObject(content);
            } catch (DecodeException e) {
                problems.add("config file " + path + " is not a JSON object: " + e.getMessage());
            }
        }
    }

    private String locate(Workload workload, Container container, RenderedOverlay overlay) {
        VolumeMount mount = Workload.mountHolding(container, path).orElse(null);
        if (mount == null) {
            problems.add("config file " + path + " is on no volume mount");
            return null;
        }
        ConfigMapVolumeSource source = workload.volume(mount.getName()).map(Volume::getConfigMap).orElse(null);
        if (source == null) {
            problems.add("config file " + path + " is on volume " + mount.getName() + ", which is no ConfigMap");
            return null;
        }
        String below = path.substring(Workload.stripSlash(mount.getMountPath()).length()).replaceFirst("^/", "");
        String inVolume = mount.getSubPath() == null || mount.getSubPath().isEmpty() ? below
                : below.isEmpty() ? mount.getSubPath() : mount.getSubPath() + "/" + below;
        String key = source.getItems().isEmpty() ? inVolume : source.getItems().stream()
                .filter(i -> i.getPath().equals(inVolume)).map(KeyToPath::getKey).findFirst().orElse(null);
        Optional<ConfigMap> map = overlay.configMap(source.getName());
        String value = map.map(ConfigMap::getData).map(data -> key == null ? null : data.get(key)).orElse(null);
        if (value == null) {
            problems.add("config file " + path + ": ConfigMap " + source.getName() + (map.isEmpty() ? " is not in the overlay"
                    : " has no key for " + inVolume));
        }
        return value;
    }

    /** The path the service is given, if it is given one. */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    /** The file's text, where it was found. */
    public Optional<String> content() {
        return Optional.ofNullable(content);
    }

    /** The keys the file sets; none where there is no readable file (see problems). */
    public Set<String> keys() {
        try {
            return content == null ? Set.of() : new TreeSet<>(new JsonObject(content).fieldNames());
        } catch (DecodeException e) {
            return Set.of();
        }
    }

    public List<String> problems() {
        return problems;
    }
}
