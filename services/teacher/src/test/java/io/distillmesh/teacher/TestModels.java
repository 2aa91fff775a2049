package io.distillmesh.teacher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The project's committed teacher model, seen from a module's directory. */
final class TestModels {
    static final Path DIR = Path.of("../../models").toAbsolutePath().normalize();

    private TestModels() {
    }

    /** A new models directory with a copy of the committed teacher, for a test that adds models of its own. */
    static Path newDirWithTheShippedTeacher() throws IOException {
        Path dir = Files.createTempDirectory("teacher-models");
        Files.copy(DIR.resolve("teacher-cnn.zip"), dir.resolve("teacher-cnn.zip"));
        return dir;
    }
}
