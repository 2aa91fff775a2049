package io.distillmesh.k8s.model;

import io.distillmesh.k8s.ProjectLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every manifest YAML under k8s/ (base and overlays). Not kustomization.yaml files, and not patches
 * (overlays/NAME/patches/): a patch is a fragment, checked in the rendered overlay it is merged into.
 */
public final class ManifestFiles {
    private ManifestFiles() {
    }

    public static List<Path> all() {
        try (Stream<Path> files = Stream.concat(Files.walk(ProjectLayout.base()),
                Files.walk(ProjectLayout.k8s().resolve("overlays")))) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().startsWith("kustomization."))
                    .filter(p -> !p.getParent().getFileName().toString().equals("patches"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
