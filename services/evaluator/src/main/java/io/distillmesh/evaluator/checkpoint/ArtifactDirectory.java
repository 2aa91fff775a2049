package io.distillmesh.evaluator.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The artifact store the evaluator may read models from (config {@code artifacts.dir}: where the students
 * write their checkpoints). Every model path, from a checkpoint record or a REST request, is taken relative to
 * it when relative and must stay inside it: lexically ({@code ..} segments), and where the file exists, also
 * after following symbolic links.
 */
public final class ArtifactDirectory {
    public static final String CONFIG_KEY = "artifacts.dir";
    private final Path root;

    public ArtifactDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The absolute path {@code path} names, refused when it leaves the artifact directory. Touches no file. */
    public Path resolve(String path) {
        return resolve(path, "modelPath");
    }

    /** {@link #resolve(String)}, naming the request field {@code field} in its refusals. */
    public Path resolve(String path, String field) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        Path resolved;
        try {
            resolved = root.resolve(path).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(field + " is not a valid path: " + e.getMessage());
        }
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new IllegalArgumentException(field + " '" + path + "' escapes the artifact directory " + root
                    + " (" + CONFIG_KEY + ")");
        }
        return resolved;
    }

    /** {@link #resolve}, and the file must exist, be a regular file, and really lie inside (links followed). Blocking. */
    public Path requireModelFile(String path) {
        return requireFile(path, "modelPath", "model file");
    }

    /** {@link #requireModelFile} for any kind of file ({@code what}), named {@code field} in a request. Blocking. */
    public Path requireFile(String path, String field, String what) {
        Path resolved = resolve(path, field);
        if (!Files.isRegularFile(resolved)) {
            throw new IllegalArgumentException("no such " + what + " '" + relative(resolved) + "' in the artifact"
                    + " directory " + root);
        }
        try {
            Path real = resolved.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                throw new IllegalArgumentException(field + " '" + path + "' escapes the artifact directory " + root
                        + " through a symbolic link");
            }
            return real;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " '" + path + "': " + e.getMessage());
        }
    }

    /** {@code path} (inside the directory) relative to it, with forward slashes. */
    public String relative(Path path) {
        return root.relativize(path.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
