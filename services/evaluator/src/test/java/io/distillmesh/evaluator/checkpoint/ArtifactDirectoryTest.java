package io.distillmesh.evaluator.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArtifactDirectoryTest {

    @Test
    void pathsOutsideTheDirectoryAreRefusedLexicallyAndThroughSymbolicLinks(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("artifacts"));
        Path outside = Files.writeString(tmp.resolve("secret.zip"), "not yours");
        Files.createSymbolicLink(root.resolve("link.zip"), outside);
        ArtifactDirectory artifacts = new ArtifactDirectory(root);
        for (String escape : new String[]{"../secret.zip", "a/../../secret.zip", outside.toString(), "/etc/passwd", "."}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> artifacts.resolve(escape), escape);
            assertTrue(e.getMessage().contains("escapes the artifact directory"), e.getMessage());
        }
        IllegalArgumentException viaLink = assertThrows(IllegalArgumentException.class,
                () -> artifacts.requireModelFile("link.zip"));
        assertTrue(viaLink.getMessage().contains("symbolic link"), viaLink.getMessage());
    }

    @Test
    void modelFilesInsideAreFoundByRelativeOrAbsolutePathAndMissingOnesAreNamed(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("artifacts"));
        Path model = Files.createDirectories(root.resolve("s1/ckpt-3")).resolve("model.zip");
        Files.writeString(model, "zip");
        ArtifactDirectory artifacts = new ArtifactDirectory(root);
        assertEquals(model.toRealPath(), artifacts.requireModelFile("s1/ckpt-3/model.zip"));
        assertEquals(model.toRealPath(), artifacts.requireModelFile(model.toString()));
        assertEquals("s1/ckpt-3/model.zip", artifacts.relative(artifacts.resolve("s1/x/../ckpt-3/model.zip")));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> artifacts.requireModelFile("s1/ckpt-9/model.zip"));
        assertTrue(missing.getMessage().contains("no such model file 's1/ckpt-9/model.zip'"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> artifacts.requireModelFile("s1"), "a directory is no model");
    }
}
