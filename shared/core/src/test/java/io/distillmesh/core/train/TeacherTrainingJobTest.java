package io.distillmesh.core.train;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.eval.Accuracy;
import io.distillmesh.core.model.ResidualLogits;
import io.distillmesh.core.model.ResidualNetworks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The teacher job trains a batch-normalised residual network on augmented images and saves what it measured. */
class TeacherTrainingJobTest {
    @Test
    void trainsAResidualTeacherWithAugmentationAndOneCycleAndCardsIt(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("resnet.zip");
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new TeacherTrainingJob());
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("--network", "resnet", "--widths", "8,8,8", "--epochs", "2", "--batch", "64",
                "--lr", "0.05", "--lr-schedule", "one-cycle", "--augment-pad", "2", "--flip", "--train-limit", "1500",
                "--out", model.toString());
        assertEquals(0, code, out.toString());
        TeacherCard card = TeacherCard.read(model);
        assertEquals("resnet8-8-8-8-bn", card.model());
        assertEquals(3000, card.trainSamples());
        assertTrue(card.command().contains("--network resnet --blocks 1,1,1 --widths 8,8,8")
                && card.command().contains("--lr-schedule one-cycle --augment-pad 2 --flip"), card.command());
        ComputationGraph graph = ModelSerializer.restoreComputationGraph(model.toFile(), false);
        LabelledImages test = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST);
        ResidualLogits logits = new ResidualLogits(graph);
        assertEquals("engine", logits.path());
        assertEquals(card.testAccuracy(), Accuracy.of(logits, test, 1000), 1e-9,
                "the saved network, batch-norm statistics included, scores what the card says");
        INDArray x = test.head(200).features(java.util.stream.IntStream.range(0, 200).toArray());
        INDArray dl4j = ResidualNetworks.logits(graph, graph.feedForward(x, false));
        INDArray engine = logits.logits(x);
        assertTrue(dl4j.sub(engine).norm2Number().doubleValue() <= 1e-4 * dl4j.norm2Number().doubleValue(),
                "the engine's logits in inference mode equal DL4J's feed-forward: " + dl4j.sub(engine).amaxNumber());
        assertTrue(card.testAccuracy() > 0.3, "two epochs on 1,500 images learn something: " + card.testAccuracy());
        assertTrue(out.toString().contains("teacher resnet8-8-8-8-bn: test accuracy"), out.toString());
    }

    @Test
    void savesTheOptimizersStateWhenAskedSoThatTrainingCanGoOn(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("cnn.zip");
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new TeacherTrainingJob());
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--channels", "4,8", "--dense", "16", "--epochs", "1", "--train-limit", "512",
                "--save-updater", "--out", model.toString()), out.toString());
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(model.toFile(), true);
        INDArray state = restored.getUpdater().getStateViewArray();
        assertEquals(2 * restored.numParams(), state.length(), "Adam's two moments for every parameter");
        assertTrue(state.amaxNumber().doubleValue() > 0, "four Adam steps left non-zero moments");
        assertTrue(TeacherCard.read(model).command().endsWith("--save-updater"), TeacherCard.read(model).command());
    }

    @Test
    void refusesAnUnknownNetworkOrSchedule() {
        for (String[] args : new String[][]{{"--network", "vgg"}, {"--lr-schedule", "cosine"}}) {
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new TeacherTrainingJob());
            cli.setErr(new PrintWriter(err));
            assertEquals(1, cli.execute(args), err.toString());
            assertTrue(err.toString().contains("unknown"), err.toString());
        }
    }
}
