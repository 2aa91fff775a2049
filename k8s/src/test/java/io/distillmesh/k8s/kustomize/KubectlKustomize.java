package io.distillmesh.k8s.kustomize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillmesh.k8s.model.YamlDocuments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds a kustomization with the real kustomize, {@code kubectl kustomize DIR} (kubectl 1.32 has kustomize
 * v5.5 built in), and reads its multi-document output into JSON trees, in output order. A kubectl that cannot
 * be run, a build that fails or hangs is an exception carrying kubectl's own message: the manifests' tests
 * never pass without rendering.
 */
public final class KubectlKustomize {
    private static final long TIMEOUT_SECONDS = 60;
    private final String kubectl;

    /** kubectl: the executable, a path or a name looked up on the PATH. */
    public KubectlKustomize(String kubectl) {
        this.kubectl = kubectl;
    }

    public static KubectlKustomize onPath() {
        return new KubectlKustomize("kubectl");
    }

    public List<ObjectNode> render(Path dir) {
        String command = kubectl + " kustomize " + dir;
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("kustomize-", ".yaml");
            err = Files.createTempFile("kustomize-", ".err");
            int exit = run(dir, out, err, command);
            if (exit != 0) {
                throw new IllegalStateException(command + " failed (exit " + exit + "): " + Files.readString(err).strip());
            }
            return YamlDocuments.parse(Files.readString(out), "the output of " + command);
        } catch (IOException e) {
            throw new UncheckedIOException(command + ": " + e.getMessage(), e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    private int run(Path dir, Path out, Path err, String command) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + kubectl + " (" + e.getMessage() + "): the overlays are rendered"
                    + " with `kubectl kustomize`, which needs kubectl 1.32 or later on the PATH", e);
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(command + ": interrupted", e);
        }
        return process.exitValue();
    }

    private static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
