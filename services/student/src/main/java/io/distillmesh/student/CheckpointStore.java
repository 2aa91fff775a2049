package io.distillmesh.student;

import io.vertx.core.json.JsonObject;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Checkpoints of one student in a directory. Each checkpoint is a folder {@code ckpt-<batches>} holding
 * model.zip, state.properties and the student's spec; the file CURRENT names the newest complete one and
 * is replaced atomically, so a crash at any moment leaves the previous checkpoint intact.
 */
public final class CheckpointStore {
    private static final String CURRENT = "CURRENT";
    private final Path dir;

    public CheckpointStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path save(Checkpoint checkpoint, StudentSpec spec) {
        try {
            Files.createDirectories(dir);
            String name = "ckpt-" + checkpoint.batches() + "-p" + checkpoint.pass()
                    + (checkpoint.stage() == Checkpoint.TASK ? "" : "-s" + checkpoint.stage());
            Path folder = dir.resolve(name);
            Files.createDirectories(folder);
            ModelSerializer.writeModel(checkpoint.network(), folder.resolve("model.zip").toFile(), true);
            Properties state = new Properties();
            state.setProperty("stage", Integer.toString(checkpoint.stage()));
            state.setProperty("graph", Boolean.toString(checkpoint.network() instanceof ComputationGraph));
            state.setProperty("pass", Integer.toString(checkpoint.pass()));
            state.setProperty("offset", Long.toString(checkpoint.offset()));
            state.setProperty("skip", Integer.toString(checkpoint.skip()));
            state.setProperty("passRecords", Long.toString(checkpoint.passRecords()));
            state.setProperty("passSamples", Long.toString(checkpoint.passSamples()));
            state.setProperty("samplesTrained", Long.toString(checkpoint.samplesTrained()));
            state.setProperty("batches", Long.toString(checkpoint.batches()));
            try (Writer w = Files.newBufferedWriter(folder.resolve("state.properties"))) {
                state.store(w, "student " + spec.studentId());
            }
            Files.writeString(folder.resolve("spec.json"), spec.toJson().encodePrettily());
            Path tmp = dir.resolve(CURRENT + ".tmp");
            Files.writeString(tmp, name);
            String previous = Files.isRegularFile(dir.resolve(CURRENT)) ? Files.readString(dir.resolve(CURRENT)).trim() : null;
            Files.move(tmp, dir.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (previous != null && !previous.equals(name)) {
                deleteRecursively(dir.resolve(previous));
            }
            return folder.resolve("model.zip");
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write checkpoint: " + e.getMessage(), e);
        }
    }

    /** The newest checkpoint; refuses one that was made for a different spec. An unreadable file is named. */
    public Optional<Checkpoint> latest(StudentSpec spec) {
        Path current = dir.resolve(CURRENT);
        if (!Files.isRegularFile(current)) {
            return Optional.empty();
        }
        Path folder = dir.resolve(read(current, Files::readString).trim());
        StudentSpec saved = read(folder.resolve("spec.json"),
                file -> StudentSpec.fromJson(new JsonObject(Files.readString(file))));
        if (!saved.equals(spec)) {
            throw new IllegalStateException(folder + ": checkpoint belongs to a different student spec "
                    + saved.toJson().encode() + "; use another checkpoint directory");
        }
        Path stateFile = folder.resolve("state.properties");
        Properties state = read(stateFile, CheckpointStore::properties);
        boolean graph = Boolean.parseBoolean(state.getProperty("graph", "false"));
        Model net = read(folder.resolve("model.zip"), file -> graph
                ? ModelSerializer.restoreComputationGraph(file.toFile(), true)
                : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true));
        return Optional.of(read(stateFile, file -> checkpoint(net, state)));
    }

    private static Checkpoint checkpoint(Model net, Properties state) {
        long offset = Long.parseLong(state.getProperty("offset"));
        // checkpoints written before passRecords was kept: one record per offset
        long passRecords = Long.parseLong(state.getProperty("passRecords", Long.toString(offset)));
        // and before records held many samples: one sample per record
        long passSamples = Long.parseLong(state.getProperty("passSamples", Long.toString(passRecords)));
        return new Checkpoint(net, Integer.parseInt(state.getProperty("stage", "2")),
                Integer.parseInt(state.getProperty("pass")), offset, Integer.parseInt(state.getProperty("skip", "0")),
                passRecords, passSamples,
                Long.parseLong(state.getProperty("samplesTrained")), Long.parseLong(state.getProperty("batches")));
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            properties.load(r);
        }
        return properties;
    }

    /** What {@code reader} makes of {@code file}; any failure names the file. */
    private static <T> T read(Path file, FileReader<T> reader) {
        try {
            return reader.read(file);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(file + ": unreadable checkpoint file: " + e, e);
        }
    }

    @FunctionalInterface
    private interface FileReader<T> {
        T read(Path file) throws IOException;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
