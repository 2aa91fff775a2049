package io.distillmesh.core.train;

import io.distillmesh.core.data.DataDirOption;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.eval.Accuracy;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Trains the CNN teacher on Fashion-MNIST and saves it with a {@link TeacherCard}. */
@Command(name = "train-teacher", mixinStandardHelpOptions = true,
        description = "Train a LeNet-style CNN teacher on Fashion-MNIST and save it as a DL4J model file.")
public final class TeacherTrainingJob implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "models/teacher-cnn.zip", description = "model file to write")
    Path out;
    @Mixin
    DataDirOption dataDir;
    @Option(names = "--epochs", defaultValue = "3")
    int epochs;
    @Option(names = "--batch", defaultValue = "128")
    int batch;
    @Option(names = "--channels", split = ",", defaultValue = "16,32")
    int[] channels;
    @Option(names = "--dense", defaultValue = "128")
    int dense;
    @Option(names = "--lr", defaultValue = "0.002")
    double lr;
    @Option(names = "--seed", defaultValue = "42")
    long seed;
    @Option(names = "--train-limit", defaultValue = "60000", description = "use only the first N training images")
    int trainLimit;

    @Spec
    CommandSpec command;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TeacherTrainingJob()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir.dir();
        LabelledImages train = FashionMnist.load(dir, FashionMnist.Split.TRAIN).head(trainLimit);
        LabelledImages test = FashionMnist.load(dir, FashionMnist.Split.TEST);
        ModelSpec spec = ModelSpec.cnn(seed, channels[0], channels[1], dense).withLearningRate(lr);
        MultiLayerNetwork net = ModelZoo.classifier(spec);
        long start = System.nanoTime();
        try (ConsoleProgress bar = new ConsoleProgress("teacher " + spec.describe(), (long) epochs * train.size())) {
            new SupervisedTrainer(epochs, batch, seed).fit(net, train, bar);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = Accuracy.of(net, test);
        long samples = (long) epochs * train.size();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        ModelSerializer.writeModel(net, out.toFile(), false);
        String backend = Nd4j.getExecutioner().getClass().getSimpleName() + " "
                + System.getProperty("org.bytedeco.javacpp.platform.extension", "")
                + " OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS");
        TeacherCard card = new TeacherCard(spec.describe(), accuracy, epochs, batch, samples, seconds,
                samples / seconds, backend.trim(), String.format(
                "train-teacher --epochs %d --batch %d --channels %d,%d --dense %d --lr %s --seed %d --train-limit %d",
                epochs, batch, channels[0], channels[1], dense, lr, seed, trainLimit));
        card.write(out);
        command.commandLine().getOut().printf("teacher %s: test accuracy %.4f, %d samples in %.1f s (%.0f samples/s), saved %s%n",
                spec.describe(), accuracy, samples, seconds, samples / seconds, out);
        return 0;
    }
}
