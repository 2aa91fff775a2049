package io.distillmesh.core.engine;

import java.nio.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The optimizer a DL4J network's configuration names (Adam or plain SGD, block by block, with their learning-rate
 * schedules), applied by the flat kernels to {@code net.params()} in place. Adam's moments live in the network's
 * own updater state, so a saved network carries them and DL4J could go on training it where this left off; the
 * network's iteration count advances one per step, as {@code fit} does.
 */
final class NetworkUpdater<B extends Buffer> {
    private final FlatKernels<B> kernels;
    private final Counts counts;
    private final List<Block> blocks;
    private final B state;

    private record Block(int from, int to, int stateOffset, IUpdater config) {
    }

    /** Where a network keeps the iteration and epoch counts its optimizer's schedules read. */
    private record Counts(IntSupplier iteration, IntSupplier epoch, IntConsumer advanceTo) {
    }

    private NetworkUpdater(FlatKernels<B> kernels, Counts counts, List<Block> blocks, B state) {
        this.kernels = kernels;
        this.counts = counts;
        this.blocks = blocks;
        this.state = state;
    }

    /** Why the flat kernels cannot apply {@code net}'s optimizer, or null when they can. */
    static String unsupported(MultiLayerNetwork net) {
        return unsupported(net.getUpdater(true));
    }

    /** Why the flat kernels cannot apply {@code graph}'s optimizer, or null when they can. */
    static String unsupported(ComputationGraph graph) {
        return unsupported(graph.getUpdater(true));
    }

    private static String unsupported(Updater updater) {
        if (!(updater instanceof BaseMultiLayerUpdater<?> layered)) {
            return "updater " + updater;
        }
        for (UpdaterBlock block : layered.getUpdaterBlocks()) {
            IUpdater config = config(block);
            if (config.getClass() != Adam.class && config.getClass() != Sgd.class) {
                return "optimizer " + config.getClass().getSimpleName() + " (Adam and SGD only)";
            }
        }
        return null;
    }

    static <B extends Buffer> NetworkUpdater<B> of(FlatKernels<B> kernels, MultiLayerNetwork net) {
        return of(kernels, net.getUpdater(true),
                new Counts(net::getIterationCount, net::getEpochCount, net::setIterationCount));
    }

    static <B extends Buffer> NetworkUpdater<B> of(FlatKernels<B> kernels, ComputationGraph graph) {
        return of(kernels, graph.getUpdater(true), new Counts(graph::getIterationCount, graph::getEpochCount,
                count -> graph.getConfiguration().setIterationCount(count)));
    }

    private static <B extends Buffer> NetworkUpdater<B> of(FlatKernels<B> kernels, Updater networkUpdater,
                                                            Counts counts) {
        String problem = unsupported(networkUpdater);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        BaseMultiLayerUpdater<?> updater = (BaseMultiLayerUpdater<?>) networkUpdater;
        List<Block> blocks = new ArrayList<>();
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            blocks.add(new Block(block.getParamOffsetStart(), block.getParamOffsetEnd(),
                    block.getUpdaterViewOffsetStart(), config(block)));
        }
        INDArray stateView = updater.getStateViewArray();
        B state = stateView == null ? kernels.allocate(0) : kernels.view(stateView);
        return new NetworkUpdater<>(kernels, counts, List.copyOf(blocks), state);
    }

    private static IUpdater config(UpdaterBlock block) {
        if (block.getGradientUpdater() == null) {
            block.init();
        }
        return block.getGradientUpdater().getConfig();
    }

    /**
     * One update of {@code params} (the network's own, read in place) with {@code gradient} (the batch mean's, in
     * any layout: copied to a dense one where needed); advances the iteration count.
     */
    void apply(INDArray params, INDArray gradient) {
        apply(kernels.view(params), kernels.view(FlatArrays.dense(gradient, kernels.dataType())));
    }

    /** One update of {@code params} with {@code gradient} (the batch mean's); advances the iteration count. */
    void apply(B params, B gradient) {
        int iteration = counts.iteration().getAsInt();
        int epoch = counts.epoch().getAsInt();
        for (Block b : blocks) {
            if (b.config() instanceof Adam adam) {
                kernels.adam(params, gradient, b.from(), b.to(), state, b.stateOffset(),
                        adam.getLearningRate(iteration, epoch), adam.getBeta1(), adam.getBeta2(), adam.getEpsilon(),
                        iteration);
            } else {
                kernels.sgd(params, gradient, b.from(), b.to(), b.config().getLearningRate(iteration, epoch));
            }
        }
        counts.advanceTo().accept(iteration + 1);
    }
}
