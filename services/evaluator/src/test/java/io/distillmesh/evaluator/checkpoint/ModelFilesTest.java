package io.distillmesh.evaluator.checkpoint;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.loss.TemperatureSoftmax;
import io.distillmesh.core.model.LogitsModel;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.model.ResNetSpec;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Student checkpoints of every architecture load for testing: layer networks and residual graphs. */
class ModelFilesTest {
    private static final LabelledImages TEST = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST);
    private static final int[] IDS = IntStream.range(0, 200).toArray();

    @Test
    void aResidualGraphCheckpointLoadsAndItsLogitsGiveItsOutputProbabilities(@TempDir Path dir) throws Exception {
        ComputationGraph resnet = ModelZoo.resnetClassifier(ResNetSpec.of(7, new int[]{1, 1, 1}, new int[]{4, 8, 8}));
        Path file = dir.resolve("model.zip");
        ModelSerializer.writeModel(resnet, file.toFile(), true);
        LogitsModel loaded = ModelFiles.load(file);
        INDArray x = TEST.features(IDS);
        INDArray softmaxOfLogits = TemperatureSoftmax.softmax(loaded.logits(x), 1.0);
        INDArray output = resnet.outputSingle(false, x);
        assertEquals(0, softmaxOfLogits.sub(output).amaxNumber().doubleValue(), 1e-5);
    }

    @Test
    void aLayerNetworkCheckpointLoadsAsBefore(@TempDir Path dir) throws Exception {
        MultiLayerNetwork mlp = ModelZoo.classifier(ModelSpec.mlp(3, 16));
        Path file = dir.resolve("model.zip");
        ModelSerializer.writeModel(mlp, file.toFile(), true);
        INDArray x = TEST.features(IDS);
        INDArray softmaxOfLogits = TemperatureSoftmax.softmax(ModelFiles.load(file).logits(x), 1.0);
        assertEquals(0, softmaxOfLogits.sub(mlp.output(x, false)).amaxNumber().doubleValue(), 1e-5);
    }

    @Test
    void aGraphOutsideTheResidualFamilyIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        ComputationGraph other = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(784).nOut(8).build(), "in")
                .addLayer("scores", new OutputLayer.Builder().nIn(8).nOut(10).activation(Activation.SOFTMAX).build(),
                        "hidden")
                .setOutputs("scores").build());
        other.init();
        Path file = dir.resolve("other-graph.zip");
        ModelSerializer.writeModel(other, file.toFile(), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("not a residual network"),
                e.getMessage());
    }

    @Test
    void aFileThatIsNoModelIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.zip"), "not a zip");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.load(junk));
        assertTrue(e.getMessage().startsWith(junk.toString()), e.getMessage());
    }
}
