package io.distillmesh.standalone;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The run a work directory belongs to ({@code run.json}): its id and the options that shape the run and its
 * students. A restart with the same work directory and the same options goes on with that run: the teacher continues
 * its stream where it stopped and every student resumes from its checkpoint.
 */
record SavedRun(String runId, JsonObject options) {
    static final String FILE = "run.json";

    static Optional<SavedRun> in(Path work) {
        Path file = work.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonObject json = new JsonObject(Files.readString(file));
            String runId = json.getString("runId");
            JsonObject options = json.getJsonObject("options");
            if (runId == null || options == null) {
                throw new IllegalStateException(file + ": needs the fields runId and options");
            }
            return Optional.of(new SavedRun(runId, options));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalStateException(file + " is not a saved run: " + e.getMessage(), e);
        }
    }

    void saveIn(Path work) {
        try {
            Files.writeString(work.resolve(FILE), new JsonObject().put("runId", runId).put("options", options).encodePrettily());
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + work.resolve(FILE), e);
        }
    }

    /** The options that differ from {@code other}, as "name saved → given". */
    String differencesTo(JsonObject other) {
        StringBuilder out = new StringBuilder();
        for (String name : options.fieldNames()) {
            Object saved = options.getValue(name);
            Object given = other.getValue(name);
            if (!String.valueOf(saved).equals(String.valueOf(given))) {
                out.append(out.isEmpty() ? "" : ", ").append(name).append(' ').append(saved).append(" → ").append(given);
            }
        }
        return out.toString();
    }
}
