package io.distillmesh.core.data;

import java.nio.file.Path;

/** A file that is not a valid IDX file of the expected kind; the message names the file and the problem. */
public final class IdxFormatException extends RuntimeException {
    public IdxFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public IdxFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
