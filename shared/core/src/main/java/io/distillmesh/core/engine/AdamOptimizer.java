package io.distillmesh.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam over a fixed list of arrays updated in place (the outer optimizer of dataset distillation;
 * Wang et al. use betas (0.5, 0.999)). The learning rate of each update comes from a schedule.
 */
public final class AdamOptimizer {
    private final LearningRateSchedule schedule;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final List<INDArray> firstMoments = new ArrayList<>();
    private final List<INDArray> secondMoments = new ArrayList<>();
    private int updates;

    public AdamOptimizer(LearningRateSchedule schedule, double beta1, double beta2, double epsilon) {
        if (schedule == null) {
            throw new IllegalArgumentException("a learning-rate schedule is required");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adam epsilon must be positive, got " + epsilon);
        }
        this.schedule = schedule;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** Betas (0.5, 0.999), ε = 1e-8, as in Wang et al. 2018. */
    public static AdamOptimizer forDistillation(LearningRateSchedule schedule) {
        return new AdamOptimizer(schedule, 0.5, 0.999, 1e-8);
    }

    /** One Adam update of every {@code params[i]} (in place) with {@code gradients[i]}; returns the rate used. */
    public double step(int iteration, List<INDArray> params, List<INDArray> gradients) {
        if (params.size() != gradients.size() || params.isEmpty()) {
            throw new IllegalArgumentException("need one gradient per parameter array, got " + params.size()
                    + " arrays and " + gradients.size() + " gradients");
        }
        if (firstMoments.isEmpty()) {
            for (INDArray p : params) {
                firstMoments.add(Nd4j.zeros(p.dataType(), p.shape()));
                secondMoments.add(Nd4j.zeros(p.dataType(), p.shape()));
            }
        } else if (firstMoments.size() != params.size()) {
            throw new IllegalArgumentException("this optimizer holds state for " + firstMoments.size()
                    + " arrays, got " + params.size());
        }
        updates++;
        double rate = schedule.rate(iteration);
        double correction1 = 1 - Math.pow(beta1, updates);
        double correction2 = 1 - Math.pow(beta2, updates);
        for (int i = 0; i < params.size(); i++) {
            INDArray p = params.get(i);
            INDArray g = gradients.get(i).castTo(p.dataType());
            if (!Arrays.equals(p.shape(), g.shape())) {
                throw new IllegalArgumentException("gradient " + i + " has shape " + Arrays.toString(g.shape())
                        + ", its parameters " + Arrays.toString(p.shape()));
            }
            INDArray m = firstMoments.get(i).muli(beta1).addi(g.mul(1 - beta1));
            INDArray v = secondMoments.get(i).muli(beta2).addi(g.mul(g).muli(1 - beta2));
            INDArray denominator = Transforms.sqrt(v.div(correction2), false).addi(epsilon);
            p.subi(m.div(correction1).divi(denominator).muli(rate));
        }
        return rate;
    }
}
