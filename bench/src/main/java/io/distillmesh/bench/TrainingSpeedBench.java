package io.distillmesh.bench;

import io.distillmesh.core.data.DataDirOption;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.NetworkLogits;
import io.distillmesh.core.engine.TrainingStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Samples per second of one network on one path (the project's engine, or DL4J's own {@code fit} / {@code output})
 * over the same Fashion-MNIST batches (one epoch's order, shuffled with a fixed seed): a few seconds of warm-up,
 * then a timed stretch. One process per measurement, so that {@code bench/training-vs-pytorch.sh} can read each
 * one's peak memory and alternate it with PyTorch; prints one {@code RESULT} line.
 */
@Command(name = "training-speed", mixinStandardHelpOptions = true)
public final class TrainingSpeedBench implements Callable<Integer> {
    @Option(names = "--network", required = true, description = "mlp64, mlp800, cnn, resnet, resnet-bn or teacher-inference")
    String network;
    @Option(names = "--arm", required = true, description = "engine or dl4j")
    String arm;
    @Option(names = "--threads", defaultValue = "1")
    int threads;
    @Option(names = "--seconds", defaultValue = "20", description = "timed stretch after the warm-up")
    double seconds;
    @Option(names = "--warmup", defaultValue = "5", description = "seconds of warm-up (JIT, buffers)")
    double warmup;
    @Option(names = "--teacher", defaultValue = "models/teacher-cnn.zip")
    Path teacher;
    @Mixin
    DataDirOption dataDir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainingSpeedBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SpeedNetwork row = SpeedNetwork.named(network);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        LabelledImages train = FashionMnist.load(dataDir.dir(), FashionMnist.Split.TRAIN);
        List<INDArray[]> batches = batches(train, row.batch);
        Model model = row.build(teacher);
        Timed step = step(row, model);
        run(step.body, batches, warmup);
        long start = System.nanoTime();
        int samples = run(step.body, batches, seconds);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("RESULT network=%s arm=%s threads=%d path=\"%s\" samples_per_s=%.1f%n", row.label, arm,
                threads, step.path, samples / elapsed);
        return 0;
    }

    /** What one iteration does with a batch ({features, one-hot labels}) and which path does it. */
    private record Timed(String path, Consumer<INDArray[]> body) {
    }

    private Timed step(SpeedNetwork row, Model model) {
        boolean engine = switch (arm) {
            case "engine" -> true;
            case "dl4j" -> false;
            default -> throw new IllegalArgumentException("--arm must be engine or dl4j, got '" + arm + "'");
        };
        if (model instanceof ComputationGraph graph) {
            if (engine) {
                TrainingStep training = TrainingStep.of(graph, "the benchmark's " + row.label);
                return new Timed(training.path(), b -> training.step(b[0], b[1]));
            }
            return new Timed("dl4j fit", b -> graph.fit(new INDArray[]{b[0]}, new INDArray[]{b[1]}));
        }
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        if (row.inferenceOnly) {
            if (engine) {
                NetworkLogits logits = NetworkLogits.of(net);
                return new Timed("engine logits: " + logits.engine(), b -> logits.logits(b[0]));
            }
            return new Timed("dl4j output", b -> net.output(b[0], false));
        }
        if (engine) {
            TrainingStep training = TrainingStep.of(net, "the benchmark's " + row.label);
            return new Timed(training.path(), b -> training.step(b[0], b[1]));
        }
        return new Timed("dl4j fit", b -> net.fit(b[0], b[1]));
    }

    private static int run(Consumer<INDArray[]> body, List<INDArray[]> batches, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int samples = 0;
        for (int i = 0; System.nanoTime() < end; i = (i + 1) % batches.size()) {
            INDArray[] batch = batches.get(i);
            body.accept(batch);
            samples += (int) batch[0].size(0);
        }
        return samples;
    }

    private static List<INDArray[]> batches(LabelledImages train, int batch) {
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(42);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<INDArray[]> batches = new ArrayList<>();
        for (int from = 0; from + batch <= order.length; from += batch) {
            int[] ids = Arrays.copyOfRange(order, from, from + batch);
            batches.add(new INDArray[]{train.features(ids), train.oneHot(ids)});
        }
        return batches;
    }
}
