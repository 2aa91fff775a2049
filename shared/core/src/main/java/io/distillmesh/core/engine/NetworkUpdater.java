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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * The optimizer a DL4J network's configuration names (Adam, plain SGD, SGD with Nesterov momentum, block by block,
 * with their learning-rate schedules; L2 and weight decay where a parameter has them; DL4J's "no-op" blocks, whose
 * gradient is the update itself, as for batch normalisation's running statistics), applied by the flat kernels to
 * {@code net.params()} in place. Moments and velocities live in the network's own updater state, so a saved network
 * carries them and DL4J could go on training it where this left off; the network's iteration count advances one
 * per step, as {@code fit} does.
 */
final class NetworkUpdater<B extends Buffer> {
    private final FlatKernels<B> kernels;
    private final Counts counts;
    private final List<Block> blocks;
    private final B state;

    private record Block(int from, int to, int stateOffset, IUpdater config, List<Penalty> penalties) {
    }

    /** The regularizations of one parameter, [from, to): L2 on the gradient, weight decay of the parameters. */
    private record Penalty(int from, int to, List<Regularization> regularizations) {
        /** The sum of the L2 coefficients: the gradient gains that times the parameters. */
        double l2(int iteration, int epoch) {
            double sum = 0;
            for (Regularization r : regularizations) {
                if (r instanceof L2Regularization l2) {
                    sum += l2.getL2().valueAt(iteration, epoch);
                }
            }
            return sum;
        }

        /** The sum of the weight decays at learning rate {@code rate}: the update gains that times the parameters. */
        double decay(int iteration, int epoch, double rate) {
            double sum = 0;
            for (Regularization r : regularizations) {
                if (r instanceof WeightDecay decay) {
                    sum += decay.getCoeff().valueAt(iteration, epoch) * (decay.isApplyLR() ? rate : 1);
                }
            }
            return sum;
        }
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
            if (config.getClass() != Adam.class && config.getClass() != Sgd.class && config.getClass() != Nesterovs.class
                    && config.getClass() != NoOp.class) {
                return "optimizer " + config.getClass().getSimpleName() + " (Adam, SGD and Nesterovs only)";
            }
            for (UpdaterBlock.ParamState param : block.getLayersAndVariablesInBlock()) {
                for (Regularization r : regularizations(param)) {
                    if (r.getClass() != L2Regularization.class && r.getClass() != WeightDecay.class) {
                        return param.getLayer().getConfig().getLayerName() + "." + param.getParamName() + " has "
                                + r.getClass().getSimpleName() + " (L2 and weight decay only)";
                    }
                }
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
            List<Penalty> penalties = new ArrayList<>();
            for (UpdaterBlock.ParamState param : block.getLayersAndVariablesInBlock()) {
                if (!regularizations(param).isEmpty()) {
                    penalties.add(new Penalty(param.getParamOffsetStart(), param.getParamOffsetEnd(),
                            List.copyOf(regularizations(param))));
                }
            }
            blocks.add(new Block(block.getParamOffsetStart(), block.getParamOffsetEnd(),
                    block.getUpdaterViewOffsetStart(), config(block), List.copyOf(penalties)));
        }
        INDArray stateView = updater.getStateViewArray();
        B state = stateView == null ? kernels.allocate(0) : kernels.view(stateView);
        return new NetworkUpdater<>(kernels, counts, List.copyOf(blocks), state);
    }

    private static List<Regularization> regularizations(UpdaterBlock.ParamState param) {
        List<Regularization> list = param.getLayer().getConfig().getRegularizationByParam(param.getParamName());
        return list == null ? List.of() : list;
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
            for (Penalty p : b.penalties()) {
                double l2 = p.l2(iteration, epoch);
                if (l2 != 0) {
                    kernels.addScaled(gradient, params, p.from(), p.to(), l2);
                }
            }
        }
        for (Block b : blocks) {
            double rate = b.config() instanceof NoOp ? 1 : b.config().getLearningRate(iteration, epoch);
            for (Penalty p : b.penalties()) {
                // DL4J adds the decay to the optimizer's update; the optimizer's step does not read the parameters,
                // so shrinking them first (once, by all decays together) lands on the same values
                double decay = p.decay(iteration, epoch, rate);
                if (decay != 0) {
                    kernels.scale(params, p.from(), p.to(), 1 - decay);
                }
            }
            if (b.config() instanceof Adam adam) {
                kernels.adam(params, gradient, b.from(), b.to(), state, b.stateOffset(), rate, adam.getBeta1(),
                        adam.getBeta2(), adam.getEpsilon(), iteration);
            } else if (b.config() instanceof Nesterovs nesterovs) {
                kernels.nesterovs(params, gradient, b.from(), b.to(), state, b.stateOffset(), rate,
                        nesterovs.currentMomentum(iteration, epoch));
            } else {
                kernels.sgd(params, gradient, b.from(), b.to(), rate);
            }
        }
        counts.advanceTo().accept(iteration + 1);
    }

    /**
     * The regularization term of the loss at {@code params} (the network's), as DL4J adds it to a step's score;
     * 0 without regularization.
     */
    double penalty(INDArray params) {
        int iteration = counts.iteration().getAsInt();
        int epoch = counts.epoch().getAsInt();
        double sum = 0;
        for (Block b : blocks) {
            for (Penalty p : b.penalties()) {
                INDArray values = params.get(NDArrayIndex.interval(p.from(), p.to()));
                for (Regularization r : p.regularizations()) {
                    sum += r.score(values, iteration, epoch);
                }
            }
        }
        return sum;
    }
}
