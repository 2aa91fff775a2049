package io.distillmesh.core.distill;

import io.distillmesh.core.engine.AdamOptimizer;
import io.distillmesh.core.engine.Backprop;
import io.distillmesh.core.engine.CancelledException;
import io.distillmesh.core.engine.HvpSettings;
import io.distillmesh.core.engine.LossGradients;
import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.engine.PassWorkspace;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The outer loop of dataset distillation (Wang et al. 2018, Algorithm 1): every meta-iteration draws
 * the inits θ_0, unrolls the inner loop on the distilled data, measures the objective's meta-loss on real
 * data at θ_T, computes its gradient w.r.t. pixels and step sizes ({@link MetaGradient}), averages over
 * the inits and takes one Adam step on the pixels and raw step sizes.
 */
public final class DatasetDistiller {
    private final InitSampler init;
    private final DistillationObjective objective;
    private final DistillerConfig config;
    private final InnerLoop inner;
    private final MetaGradient metaGradient;
    private final int classes;
    private final String backprop;

    public DatasetDistiller(InitSampler init, DistillationObjective objective, DistillerConfig config) {
        this(init, objective, config, Backprop.AUTOMATIC);
    }

    public DatasetDistiller(InitSampler init, DistillationObjective objective, DistillerConfig config, Backprop backprop) {
        if (init == null || objective == null || config == null || backprop == null) {
            throw new IllegalArgumentException("init sampler, objective, config and backprop are all required");
        }
        objective.checkInit(init.spec().mode());
        MultiLayerNetwork net = init.newNetwork();
        LossGradients gradients = new LossGradients(net, backprop);
        this.init = init;
        this.objective = objective;
        this.config = config;
        this.inner = new InnerLoop(gradients);
        this.metaGradient = new MetaGradient(gradients, config.hvp());
        this.classes = init.spec().network().numClasses();
        this.backprop = gradients.engine();
    }

    /** Which backprop this distiller's gradients come from: {@code hand-written} or {@code dl4j}. */
    public String backprop() {
        return backprop;
    }

    /** How the meta-gradient's Hessian-vector products are taken, for logs. */
    public String hessianVectorProducts() {
        if (metaGradient.exact()) {
            return "exact (R-operator)";
        }
        HvpSettings hvp = config.hvp();
        return "finite differences, ε·‖v‖ = " + hvp.epsilonScale()
                + (hvp.guardOn() ? " with kink guard" : " (plain central differences)");
    }

    /** Runs the configured iterations on {@code data} (updated in place) and returns its final state. */
    public DistillationResult run(DistilledData data, DistillationListener listener) {
        if (data.schedule().classes() != classes) {
            throw new IllegalArgumentException("distilled data have " + data.schedule().classes()
                    + " classes, the network " + classes);
        }
        if (data.dataType() != init.dataType()) {
            throw new IllegalArgumentException("distilled data are " + data.dataType() + ", the init spec says "
                    + init.dataType());
        }
        try {
            return distil(data, listener == null ? DistillationListener.NONE : listener);
        } finally {
            PassWorkspace.releaseForCurrentThread();
        }
    }

    private DistillationResult distil(DistilledData data, DistillationListener progress) {
        AdamOptimizer adam = AdamOptimizer.forDistillation(config.learningRate());
        double[] losses = new double[config.iterations()];
        double innerSeconds = 0;
        double metaSeconds = 0;
        double backwardSeconds = 0;
        int retried = 0;
        int oneSided = 0;
        long runStart = System.nanoTime();
        int done = 0;
        boolean cancelled = false;
        BooleanSupplier stop = progress::isCancelled;
        for (int it = 0; it < config.iterations(); it++) {
            if (progress.isCancelled()) {
                cancelled = true;
                break;
            }
            long start = System.nanoTime();
            MetaBatch meta = objective.metaBatch(it);
            InnerSteps steps = data.steps();
            List<INDArray> thetas = init.draws(it);
            INDArray pixelGradient = null;
            double[] stepGradient = new double[steps.stepSizes().length];
            double loss = 0;
            try {
                for (INDArray theta0 : thetas) {
                    CancelledException.throwIf(stop);
                    long t0 = System.nanoTime();
                    Trajectory trajectory = inner.unroll(theta0, steps, stop);
                    OffHeap.release(theta0);
                    innerSeconds += (System.nanoTime() - t0) / 1e9;
                    MetaGradient.Result r;
                    try {
                        r = metaGradient.compute(trajectory, steps, meta, stop);
                    } finally {
                        trajectory.release();
                    }
                    metaSeconds += r.metaSeconds();
                    backwardSeconds += r.backwardSeconds();
                    retried += r.retried();
                    oneSided += r.oneSided();
                    loss += r.metaLoss();
                    OffHeap.release(r.initGradient());
                    if (pixelGradient == null) {
                        pixelGradient = r.pixelGradient();
                    } else {
                        pixelGradient.addi(r.pixelGradient());
                        OffHeap.release(r.pixelGradient());
                    }
                    for (int t = 0; t < stepGradient.length; t++) {
                        stepGradient[t] += r.stepSizeGradient()[t];
                    }
                }
            } catch (CancelledException e) {
                thetas.forEach(OffHeap::release);
                OffHeap.release(pixelGradient, meta.features(), meta.targets());
                cancelled = true;
                break;
            }
            double n = thetas.size();
            pixelGradient.divi(n);
            for (int t = 0; t < stepGradient.length; t++) {
                stepGradient[t] /= n;
            }
            losses[it] = loss / n;
            if (!Double.isFinite(losses[it])) {
                throw new IllegalStateException("meta-loss became " + losses[it] + " at iteration " + it
                        + " (step sizes " + Arrays.toString(steps.stepSizes()) + "): lower the learning rate");
            }
            double rate = adam.step(it, List.of(data.pixels(), data.rawStepSizes()),
                    List.of(pixelGradient, data.rawStepSizeGradient(stepGradient)));
            OffHeap.release(pixelGradient, meta.features(), meta.targets());
            done = it + 1;
            progress.onIteration(new DistillationProgress(done, config.iterations(), losses[it], data.stepSizes(),
                    rate, (System.nanoTime() - start) / 1e9));
        }
        return new DistillationResult(data.snapshot(init.spec()), Arrays.copyOf(losses, done), cancelled,
                innerSeconds, metaSeconds, backwardSeconds, (System.nanoTime() - runStart) / 1e9, retried, oneSided);
    }
}
