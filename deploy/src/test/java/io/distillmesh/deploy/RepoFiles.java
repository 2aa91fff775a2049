package io.distillmesh.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the checks read: found from the working directory, whichever module runs. */
final class RepoFiles {
    static final String CATALOG = "docs/METRICS.md";
    static final String PROMETHEUS_CONFIG = "deploy/prometheus/prometheus.yml";
    static final String ALERT_RULES = "deploy/prometheus/alerts.yml";
    static final String ALERT_RULE_TESTS = "deploy/prometheus/alerts-test.yml";
    static final String DASHBOARD = "deploy/grafana/distill-mesh.json";
    static final String MODELS = "models";

    private RepoFiles() {
    }

    /** The repository root: the nearest directory up from here that holds deploy/prometheus. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(PROMETHEUS_CONFIG))) {
                return dir;
            }
        }
        throw new IllegalStateException("no " + PROMETHEUS_CONFIG + " above " + Path.of("").toAbsolutePath());
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative, e);
        }
    }
}
