package io.distillmesh.core.train;

import io.distillmesh.core.data.DataDirOption;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.NetworkLogits;
import io.distillmesh.core.eval.Accuracy;
import io.distillmesh.core.model.LogitsModel;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.model.ResNetSpec;
import io.distillmesh.core.model.ResidualLogits;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
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
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Trains a teacher on Fashion-MNIST, the LeNet-style CNN or a residual network with batch normalisation, and saves
 * it with a {@link TeacherCard}.
 */
@Command(name = "train-teacher", mixinStandardHelpOptions = true,
        description = "Train a teacher (a LeNet-style CNN, or a residual network with batch normalisation) on "
                + "Fashion-MNIST and save it as a DL4J model file.")
public final class TeacherTrainingJob implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "models/teacher-cnn.zip", description = "model file to write")
    Path out;
    @Mixin
    DataDirOption dataDir;
    @Option(names = "--network", defaultValue = "cnn", description = "cnn or resnet (default: ${DEFAULT-VALUE})")
    String network;
    @Option(names = "--epochs", defaultValue = "3")
    int epochs;
    @Option(names = "--batch", defaultValue = "128")
    int batch;
    @Option(names = "--channels", split = ",", defaultValue = "16,32", description = "cnn: the two convolutions' channels")
    int[] channels;
    @Option(names = "--dense", defaultValue = "128", description = "cnn: the dense layer's width")
    int dense;
    @Option(names = "--blocks", split = ",", defaultValue = "1,1,1", description = "resnet: basic blocks per stage")
    int[] blocks;
    @Option(names = "--widths", split = ",", defaultValue = "16,32,64", description = "resnet: channels per stage")
    int[] widths;
    @Option(names = "--momentum", defaultValue = "0.9", description = "resnet: Nesterov momentum of SGD; 0 for Adam")
    double momentum;
    @Option(names = "--l2", defaultValue = "5e-4", description = "resnet: L2 regularisation of the weights")
    double l2;
    @Option(names = "--lr", defaultValue = "0.002", description = "the (peak) learning rate")
    double lr;
    @Option(names = "--lr-schedule", defaultValue = "constant", description = "constant or one-cycle (default: "
            + "${DEFAULT-VALUE})")
    String lrSchedule;
    @Option(names = "--augment-pad", defaultValue = "0", description = "random crops of the image padded by this many "
            + "pixels (0: none)")
    int augmentPad;
    @Option(names = "--flip", description = "random horizontal flips")
    boolean flip;
    @Option(names = "--seed", defaultValue = "42")
    long seed;
    @Option(names = "--train-limit", defaultValue = "60000", description = "use only the first N training images")
    int trainLimit;
    @Option(names = "--save-updater", description = "also save the optimizer's state (momentum, Adam's moments), so"
            + " that training can go on from the file; without it the file is smaller and serves inference")
    boolean saveUpdater;

    @Spec
    CommandSpec command;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TeacherTrainingJob()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ImageAugmentation augmentation = ImageAugmentation.of(augmentPad, flip);
        boolean residual = switch (network.toLowerCase(Locale.ROOT)) {
            case "cnn" -> false;
            case "resnet" -> true;
            default -> throw new IllegalArgumentException("unknown network '" + network + "', known: cnn, resnet");
        };
        Path dir = dataDir.dir();
        LabelledImages train = FashionMnist.load(dir, FashionMnist.Split.TRAIN).head(trainLimit);
        LabelledImages test = FashionMnist.load(dir, FashionMnist.Split.TEST);
        long iterations = (long) epochs * ((train.size() + batch - 1) / batch);
        LearningRatePlan plan = LearningRatePlan.parse(lrSchedule, lr, iterations);
        SupervisedTrainer trainer = new SupervisedTrainer(epochs, batch, seed).withAugmentation(augmentation);
        Teacher teacher = residual ? residual(plan, trainer) : plain(plan, trainer);
        String description = teacher.description();
        long start = System.nanoTime();
        try (ConsoleProgress bar = new ConsoleProgress("teacher " + description, (long) epochs * train.size())) {
            teacher.fit().accept(train, bar);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = Accuracy.of(teacher.logits(), test, 1000);
        save(teacher.model());
        long samples = (long) epochs * train.size();
        String backend = Nd4j.getExecutioner().getClass().getSimpleName() + " "
                + System.getProperty("org.bytedeco.javacpp.platform.extension", "")
                + " OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS");
        TeacherCard card = new TeacherCard(description, accuracy, epochs, batch, samples, seconds,
                samples / seconds, backend.trim(), commandLine(residual, augmentation));
        card.write(out);
        command.commandLine().getOut().printf("teacher %s: test accuracy %.4f, %d samples in %.1f s (%.0f samples/s), "
                + "saved %s%n", description, accuracy, samples, seconds, samples / seconds, out);
        return 0;
    }

    /** A teacher to train: what it is, the DL4J model saved, how it trains, and its logits for testing. */
    private record Teacher(String description, Model model, BiConsumer<LabelledImages, ProgressListener> fit,
                           LogitsModel logits) {
    }

    private Teacher residual(LearningRatePlan plan, SupervisedTrainer trainer) {
        ResNetSpec spec = ResNetSpec.of(seed, blocks, widths).withBatchNorm().withLearningRate(lr);
        ComputationGraph graph = ModelZoo.resnetClassifier(momentum > 0 ? spec.withNesterovs(momentum, l2) : spec);
        plan.applyTo(graph);
        return new Teacher(spec.describe(), graph, (data, progress) -> trainer.fit(graph, data, progress),
                new ResidualLogits(graph));
    }

    private Teacher plain(LearningRatePlan plan, SupervisedTrainer trainer) {
        ModelSpec spec = ModelSpec.cnn(seed, channels[0], channels[1], dense).withLearningRate(lr);
        MultiLayerNetwork net = ModelZoo.classifier(spec);
        plan.applyTo(net);
        return new Teacher(spec.describe(), net, (data, progress) -> trainer.fit(net, data, progress),
                NetworkLogits.of(net));
    }

    private void save(Model model) throws java.io.IOException {
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        ModelSerializer.writeModel(model, out.toFile(), saveUpdater);
    }

    private String commandLine(boolean residual, ImageAugmentation augmentation) {
        String shape = residual
                ? String.format("--network resnet --blocks %s --widths %s --momentum %s --l2 %s", list(blocks),
                list(widths), momentum, l2)
                : String.format("--network cnn --channels %d,%d --dense %d", channels[0], channels[1], dense);
        return String.format("train-teacher %s --epochs %d --batch %d --lr %s --lr-schedule %s%s%s --seed %d "
                        + "--train-limit %d%s", shape, epochs, batch, lr, lrSchedule,
                augmentation.pad() > 0 ? " --augment-pad " + augmentation.pad() : "", augmentation.flip() ? " --flip" : "",
                seed, trainLimit, saveUpdater ? " --save-updater" : "");
    }

    private static String list(int[] values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
