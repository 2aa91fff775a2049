package io.distillmesh.core.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {
    @TempDir
    Path dir;

    @Test
    void tellsTheTwoKindsApartAndRestoresEachOnce() throws IOException {
        MultiLayerNetwork plain = ModelZoo.classifier(ModelSpec.mlp(1, 16));
        ComputationGraph residual = ModelZoo.resnetClassifier(ResNetSpec.of(1, new int[]{1, 1, 1}, new int[]{4, 4, 4}));
        Path plainFile = dir.resolve("plain.zip");
        Path residualFile = dir.resolve("residual.zip");
        ModelSerializer.writeModel(plain, plainFile.toFile(), true);
        ModelSerializer.writeModel(residual, residualFile.toFile(), false);

        assertEquals(ModelFile.Kind.LAYERS, ModelFile.kind(plainFile));
        assertEquals(ModelFile.Kind.GRAPH, ModelFile.kind(residualFile));
        Model loadedPlain = ModelFile.load(plainFile, true);
        Model loadedResidual = ModelFile.load(residualFile, false);
        assertEquals(plain.params(), assertInstanceOf(MultiLayerNetwork.class, loadedPlain).params());
        assertEquals(residual.params(), assertInstanceOf(ComputationGraph.class, loadedResidual).params());
        var x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 784);
        assertEquals(residual.outputSingle(x), ((ComputationGraph) loadedResidual).outputSingle(x));
    }

    @Test
    void refusesWhatIsNoModelFileNamingTheFileAndTheProblem() throws IOException {
        Path missing = dir.resolve("missing.zip");
        assertMessage(missing, "model file not found");

        Path text = Files.writeString(dir.resolve("text.zip"), "not a zip at all");
        assertMessage(text, "not a zip");

        Path noConfiguration = zip("no-configuration.zip", "coefficients.bin", "0");
        assertMessage(noConfiguration, "has no configuration.json");

        Path neither = zip("neither.zip", "configuration.json", "{\"layers\": []}");
        assertMessage(neither, "neither a MultiLayerNetwork nor a ComputationGraph");

        Path broken = zip("broken.zip", "configuration.json", "{\"confs\": [ broken");
        assertMessage(broken, "configuration.json is not JSON");

        Path noCoefficients = zip("no-coefficients.zip", "configuration.json", "{\"confs\": []}");
        assertMessage(noCoefficients, "cannot restore the MultiLayerNetwork");
    }

    private Path zip(String name, String entry, String content) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    private static void assertMessage(Path file, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file, false));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
