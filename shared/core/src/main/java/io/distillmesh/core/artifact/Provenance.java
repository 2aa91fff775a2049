package io.distillmesh.core.artifact;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * Where a distilled set came from: the service that produced it and its version, the objective it was distilled
 * for (a {@code poisoning} objective makes models misclassify on purpose, and says so), the full job spec as a
 * JSON object, the SHA-256 of the artifact it adapts (empty when it adapts none), and when it was written.
 */
public record Provenance(String producer, String producerVersion, String objective, String jobSpec,
                         String parentSha256, String created) {
    private static final Pattern SHA_256 = Pattern.compile("[0-9a-f]{64}");

    public Provenance {
        requireText(producer, "producer");
        requireText(producerVersion, "producerVersion");
        requireText(objective, "objective");
        requireText(jobSpec, "job spec");
        ProvenanceJson.jobObject(jobSpec);
        if (parentSha256 == null || !(parentSha256.isEmpty() || SHA_256.matcher(parentSha256).matches())) {
            throw new IllegalArgumentException("provenance parentSha256 must be empty or 64 lower-case hex digits, got "
                    + parentSha256);
        }
        try {
            Instant.parse(created);
        } catch (NullPointerException | DateTimeParseException e) {
            throw new IllegalArgumentException("provenance created must be an ISO-8601 instant, got " + created);
        }
    }

    /** Written now by this build's {@code producer}, adapting no earlier artifact. */
    public static Provenance of(String producer, String objective, String jobSpecJson) {
        return new Provenance(producer, ProducerVersion.get(), objective, jobSpecJson, "",
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** Whether the objective is a poisoning one ({@code poisoning}, or a description such as {@code poisoning(9->7)}). */
    public boolean poisoning() {
        return objective.startsWith("poisoning");
    }

    /** One line for logs and consoles. */
    public String describe() {
        return producer + " " + producerVersion + ", objective " + objective
                + (poisoning() ? " (POISONING: made to make models misclassify)" : "")
                + (parentSha256.isEmpty() ? "" : ", adapts " + parentSha256) + ", written " + created;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("provenance needs a " + name);
        }
    }
}
