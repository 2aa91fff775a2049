package io.distillmesh.k8s.invariants;

import io.distillmesh.k8s.mesh.MeshService;
import io.distillmesh.messaging.vertx.ServiceConfig;
import io.fabric8.kubernetes.api.model.Container;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configuration of a mesh container matches what its service reads. Every declared config key
 * (TeacherVerticle.DEFAULTS, StudentVerticle.DEFAULTS, ... through ServiceConfig.envName) is set as its DM_ variable,
 * and every DM_ variable set is one the service reads (a misspelt one would be silently ignored). A config file (its
 * first argument or DM_CONFIG, mounted from a ConfigMap) holds only keys that have no variable, such as a
 * specialist's student.specialist-classes: a declared key there would be overridden by its variable, or escape the
 * rules that check the variables. Each key of the file is one the service reads: a student's spec keys
 * ({@link StudentSpecKeys}); no other service reads a key without a variable. A student's spec key its spec does not
 * read (a specialist's student.hidden) is neither required nor allowed. The sources must be checkable (see
 * {@link ContainerEnv}, {@link ConfigFile}).
 */
public final class ServiceEnvRule implements InvariantRule {
    @Override
    public String name() {
        return "service environment";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        for (Workload w : overlay.workloads()) {
            for (Container c : w.serviceContainers()) {
                ContainerConfig config = ContainerConfig.of(w, c, overlay);
                config.env().problems().forEach(p -> violations.add(w.where(c) + ": " + p));
                config.file().problems().forEach(p -> violations.add(w.where(c) + ": " + p));
                check(config, specKeysRead(config)).forEach(p -> violations.add(w.where(c) + ": " + p));
            }
        }
        return violations;
    }

    private static List<String> check(ContainerConfig config, Optional<Set<String>> specKeysRead) {
        List<String> problems = new ArrayList<>();
        MeshService service = config.service();
        Set<String> declared = service.defaults().fieldNames();
        Set<String> ignored = new TreeSet<>();
        specKeysRead.ifPresent(read -> declared.stream()
                .filter(k -> StudentSpecKeys.isSpecKey(k) && !read.contains(k)).forEach(k -> ignored.add(ServiceConfig.envName(k))));
        Set<String> dmSet = new TreeSet<>(config.env().vars().keySet());
        dmSet.removeIf(v -> !v.startsWith("DM_"));
        Set<String> missing = new TreeSet<>(service.required());
        missing.removeAll(ignored);
        missing.removeAll(dmSet);
        if (!missing.isEmpty()) {
            problems.add(service.name() + " reads " + missing + " but they are not set");
        }
        Set<String> unread = new TreeSet<>(dmSet);
        unread.removeIf(v -> service.reads().contains(v) && !ignored.contains(v));
        if (!unread.isEmpty()) {
            problems.add("sets " + unread + " which " + service.name() + " does not read");
        }
        String file = "config file " + config.file().path().orElse("");
        Set<String> withVariables = new TreeSet<>(config.file().keys());
        withVariables.retainAll(declared);
        if (!withVariables.isEmpty()) {
            problems.add(file + " sets " + withVariables + ", which have DM_ variables: set those instead");
        }
        Set<String> fileOnly = new TreeSet<>(config.file().keys());
        fileOnly.removeAll(declared);
        specKeysRead.ifPresent(read -> {
            fileOnly.removeAll(read);
            if (!fileOnly.isEmpty()) {
                problems.add(file + " sets " + fileOnly + " which " + service.name() + " does not read");
            }
        });
        return problems;
    }

    /** The spec keys a student's configuration reads (none for other services); empty where it does not load. */
    private static Optional<Set<String>> specKeysRead(ContainerConfig config) {
        if (!config.service().name().equals("student")) {
            return Optional.of(Set.of());
        }
        try {
            return Optional.of(StudentSpecKeys.read(config.load()));
        } catch (RuntimeException e) {
            return Optional.empty(); // ServiceConfigRule reports why
        }
    }
}
