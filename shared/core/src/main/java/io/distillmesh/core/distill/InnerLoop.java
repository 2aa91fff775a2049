package io.distillmesh.core.distill;

import io.distillmesh.core.engine.CancelledException;
import io.distillmesh.core.engine.LossGradients;
import io.distillmesh.core.engine.OffHeap;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains on distilled data: θ_{t+1} = θ_t − η_t ∇θ ℓ(x̃_t, θ_t), t = 0..S·E−1, with ℓ the mean loss of
 * the distilled batch. Distillation and replay both go through {@link #step}, so a replay repeats the
 * distillation's arithmetic exactly.
 */
public final class InnerLoop {
    private final LossGradients gradients;

    public InnerLoop(LossGradients gradients) {
        if (gradients == null) {
            throw new IllegalArgumentException("loss gradients are required");
        }
        this.gradients = gradients;
    }

    /** Unrolls all steps from θ_0, keeping every θ_t and the gradients at it. */
    public Trajectory unroll(INDArray theta0, InnerSteps steps) {
        return unroll(theta0, steps, () -> false);
    }

    /**
     * As {@link #unroll(INDArray, InnerSteps)}, asking {@code cancelled} before each step; a cancelled unroll frees
     * what it kept.
     */
    Trajectory unroll(INDArray theta0, InnerSteps steps, BooleanSupplier cancelled) {
        int total = steps.schedule().totalSteps();
        List<INDArray> thetas = new ArrayList<>(total + 1);
        List<INDArray> grads = new ArrayList<>(total);
        List<INDArray> inputGrads = new ArrayList<>(total);
        INDArray theta = initial(theta0);
        thetas.add(theta);
        for (int t = 0; t < total; t++) {
            if (cancelled.getAsBoolean()) {
                new Trajectory(thetas, grads, inputGrads).release();
                throw new CancelledException();
            }
            LossGradients.ParamsAndInput g = gradients.paramsAndInput(theta, steps.imagesAt(t), steps.labels());
            theta = step(theta, g.params(), steps.stepSizeAt(t));
            grads.add(g.params());
            inputGrads.add(g.input());
            thetas.add(theta);
        }
        return new Trajectory(thetas, grads, inputGrads);
    }

    /** Only θ_T: the same steps as {@link #unroll} without keeping the history. */
    public INDArray train(INDArray theta0, InnerSteps steps) {
        INDArray theta = initial(theta0);
        for (int t = 0; t < steps.schedule().totalSteps(); t++) {
            LossGradients.ParamsAndInput g = gradients.paramsAndInput(theta, steps.imagesAt(t), steps.labels());
            INDArray next = step(theta, g.params(), steps.stepSizeAt(t));
            OffHeap.release(theta, g.params(), g.input());
            theta = next;
        }
        return theta;
    }

    private INDArray initial(INDArray theta0) {
        if (theta0.length() != gradients.numParams()) {
            throw new IllegalArgumentException("θ_0 has " + theta0.length() + " values, the network "
                    + gradients.numParams());
        }
        return theta0.reshape(gradients.numParams()).castTo(gradients.dataType()).dup();
    }

    private static INDArray step(INDArray theta, INDArray gradient, double stepSize) {
        INDArray scaled = gradient.mul(stepSize);
        INDArray next = theta.sub(scaled);
        OffHeap.release(scaled);
        return next;
    }
}
