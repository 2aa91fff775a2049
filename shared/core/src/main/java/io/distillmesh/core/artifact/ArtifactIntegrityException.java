package io.distillmesh.core.artifact;

/**
 * A distilled-set artifact whose origin cannot be trusted: its content does not match its SHA-256, or it is of a
 * version that carries no hash and no provenance.
 */
public final class ArtifactIntegrityException extends IllegalArgumentException {
    public ArtifactIntegrityException(String message) {
        super(message);
    }

    public ArtifactIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
