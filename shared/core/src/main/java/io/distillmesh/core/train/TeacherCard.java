package io.distillmesh.core.train;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** What a saved teacher model is and how it was made; stored beside the model file as {@code <model>.properties}. */
public record TeacherCard(String model, double testAccuracy, int epochs, int batchSize, long trainSamples,
                          double trainSeconds, double samplesPerSecond, String nd4jBackend, String command) {

    public static Path pathFor(Path modelFile) {
        return modelFile.resolveSibling(modelFile.getFileName() + ".properties");
    }

    public void write(Path modelFile) throws IOException {
        Properties p = new Properties();
        p.setProperty("model", model);
        p.setProperty("test.accuracy", Double.toString(testAccuracy));
        p.setProperty("epochs", Integer.toString(epochs));
        p.setProperty("batch.size", Integer.toString(batchSize));
        p.setProperty("train.samples", Long.toString(trainSamples));
        p.setProperty("train.seconds", Double.toString(trainSeconds));
        p.setProperty("train.samples.per.second", Double.toString(samplesPerSecond));
        p.setProperty("nd4j.backend", nd4jBackend);
        p.setProperty("command", command);
        try (Writer w = Files.newBufferedWriter(pathFor(modelFile))) {
            p.store(w, "distill-mesh teacher");
        }
    }

    public static TeacherCard read(Path modelFile) throws IOException {
        Path file = pathFor(modelFile);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        try {
            return new TeacherCard(p.getProperty("model"), Double.parseDouble(p.getProperty("test.accuracy")),
                    Integer.parseInt(p.getProperty("epochs")), Integer.parseInt(p.getProperty("batch.size")),
                    Long.parseLong(p.getProperty("train.samples")), Double.parseDouble(p.getProperty("train.seconds")),
                    Double.parseDouble(p.getProperty("train.samples.per.second")), p.getProperty("nd4j.backend"),
                    p.getProperty("command"));
        } catch (RuntimeException e) {
            throw new IOException(file + ": missing or malformed field (" + e + ")", e);
        }
    }
}
