package io.distillmesh.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where things are in the checkout, found from the working directory (the k8s module or the root). */
public final class ProjectLayout {
    private static final Path ROOT = findRoot();

    private ProjectLayout() {
    }

    public static Path root() {
        return ROOT;
    }

    /** k8s/: the kustomize base, the overlays and this module. */
    public static Path k8s() {
        return ROOT.resolve("k8s");
    }

    public static Path overlay(String name) {
        return k8s().resolve("overlays").resolve(name);
    }

    public static Path base() {
        return k8s().resolve("base");
    }

    /** A test fixture under src/test/resources/fixtures. */
    public static Path fixture(String name) {
        return fixtures().resolve(name);
    }

    /** The names of the test fixtures: one kustomization each, a broken copy of an overlay. */
    public static List<String> fixtureNames() {
        try (Stream<Path> dirs = Files.list(fixtures())) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path fixtures() {
        return k8s().resolve("src/test/resources/fixtures");
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("k8s/base")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no project root with k8s/base above " + dir);
    }
}
