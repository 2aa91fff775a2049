package io.distillmesh.teacher;

import java.nio.file.Path;

/** The project's committed teacher model, seen from a module's directory. */
final class TestModels {
    static final Path DIR = Path.of("../../models").toAbsolutePath().normalize();

    private TestModels() {
    }
}
