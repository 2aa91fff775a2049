package io.distillmesh.core.specialist;

import io.distillmesh.core.eval.ArgMax;
import io.distillmesh.core.loss.TemperatureSoftmax;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Inference with a generalist and specialists (Hinton et al. 2015, section 5): the specialists whose classes
 * include one of the generalist's {@code topN} most probable classes are consulted, and the full distribution q
 * is the one minimising KL(p_g ‖ q) + w·Σ_m KL(p_m ‖ q_m), where q_m is q reduced to specialist m's classes plus its
 * dustbin (the sum of q over the rest) and w the {@link SpecialistWeighting}'s weight (1 in the paper). Solved by
 * gradient descent on the logits z of q = softmax(z), from z = log p_g; the gradient of a specialist term w.r.t. z_k
 * is q_k − p_m(c(k))·q_k / q_m(c(k)), with c(k) the reduced class containing k. The reduction is the trainer's
 * {@link ClassReduction}.
 */
public final class SpecialistEnsemble {
    private static final double CONVERGED = 1e-9;
    private final int topN;
    private final int steps;
    private final double stepSize;
    private final SpecialistWeighting weighting;

    public SpecialistEnsemble(int topN, int steps, double stepSize, SpecialistWeighting weighting) {
        if (topN < 1 || steps < 1 || !(stepSize > 0)) {
            throw new IllegalArgumentException("topN, steps and stepSize must be positive");
        }
        this.topN = topN;
        this.steps = steps;
        this.stepSize = stepSize;
        this.weighting = java.util.Objects.requireNonNull(weighting, "weighting");
    }

    /**
     * The paper's setting: n = 1, equal weights, and enough descent steps to converge on ten classes (300 at step 1;
     * proportionally more where heavy weights need a smaller step; fewer once the gradient vanishes).
     */
    public static SpecialistEnsemble standard() {
        return new SpecialistEnsemble(1, 300, 1.0, SpecialistWeighting.EQUAL);
    }

    /** The same ensemble with the specialists' terms weighted otherwise. */
    public SpecialistEnsemble weighted(SpecialistWeighting other) {
        return new SpecialistEnsemble(topN, steps, stepSize, other);
    }

    /** The specialists, among {@code all}, that are relevant to a sample with generalist distribution {@code pg}. */
    public List<SpecialistOpinion> relevant(double[] pg, List<SpecialistOpinion> all) {
        int[] top = topClasses(pg, topN);
        List<SpecialistOpinion> out = new ArrayList<>();
        for (SpecialistOpinion s : all) {
            for (int c : top) {
                if (s.covers(c)) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }

    /** The combined distribution for one sample, consulting only the relevant specialists. */
    public double[] combine(double[] pg, List<SpecialistOpinion> all) {
        List<SpecialistOpinion> active = relevant(pg, all);
        if (active.isEmpty()) {
            return pg.clone();
        }
        double[] z = new double[pg.length];
        for (int k = 0; k < z.length; k++) {
            z[k] = Math.log(Math.max(pg[k], 1e-12));
        }
        double weight = weighting.weight(active.size());
        List<ClassReduction> reductions = reductions(active, pg.length);
        // each KL term's Hessian in z is at most 1/2 in norm, so this step is at most 1/L and the descent cannot diverge;
        // a smaller step gets proportionally more of them
        double step = Math.min(stepSize, 2 / (1 + active.size() * weight));
        long maxSteps = (long) Math.ceil(steps * stepSize / step);
        for (long i = 0; i < maxSteps; i++) {
            double[] g = gradient(z, pg, active, reductions, weight);
            double largest = 0;
            for (int k = 0; k < z.length; k++) {
                z[k] -= step * g[k];
                largest = Math.max(largest, Math.abs(g[k]));
            }
            if (largest < CONVERGED) {
                break;
            }
        }
        return softmax(z);
    }

    /** KL(p_g ‖ q) + w·Σ_m KL(p_m ‖ q_m) for q = softmax(z). */
    public static double objective(double[] z, double[] pg, List<SpecialistOpinion> specialists, double weight) {
        double[] q = softmax(z);
        double total = kl(pg, q);
        for (SpecialistOpinion s : specialists) {
            total += weight * kl(s.probabilities(), new ClassReduction(s.classes(), q.length).reduce(q));
        }
        return total;
    }

    /** The gradient of {@link #objective} w.r.t. z. */
    public static double[] gradient(double[] z, double[] pg, List<SpecialistOpinion> specialists, double weight) {
        return gradient(z, pg, specialists, reductions(specialists, z.length), weight);
    }

    private static List<ClassReduction> reductions(List<SpecialistOpinion> specialists, int classes) {
        return specialists.stream().map(s -> new ClassReduction(s.classes(), classes)).toList();
    }

    /** The combined prediction (argmax of {@link #combine}) for every sample: its generalist row and its specialists. */
    public int[] predictions(double[][] pg, List<List<SpecialistOpinion>> opinions) {
        if (pg.length != opinions.size()) {
            throw new IllegalArgumentException(pg.length + " generalist rows but " + opinions.size() + " opinion rows");
        }
        int[] out = new int[pg.length];
        for (int i = 0; i < pg.length; i++) {
            out[i] = ArgMax.of(combine(pg[i], opinions.get(i)));
        }
        return out;
    }

    private static double[] gradient(double[] z, double[] pg, List<SpecialistOpinion> specialists,
                                     List<ClassReduction> reductions, double weight) {
        double[] q = softmax(z);
        double[] g = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            g[k] = q[k] - pg[k];
        }
        for (int m = 0; m < specialists.size(); m++) {
            SpecialistOpinion s = specialists.get(m);
            ClassReduction reduction = reductions.get(m);
            double[] reduced = reduction.reduce(q);
            for (int k = 0; k < z.length; k++) {
                int c = reduction.reducedClass(k);
                g[k] += weight * (q[k] - s.probabilities()[c] * q[k] / reduced[c]);
            }
        }
        return g;
    }

    static int[] topClasses(double[] p, int n) {
        int[] order = IntStream.range(0, p.length).boxed()
                .sorted((a, b) -> Double.compare(p[b], p[a])).mapToInt(Integer::intValue).toArray();
        return Arrays.copyOf(order, Math.min(n, p.length));
    }

    private static double[] softmax(double[] z) {
        return TemperatureSoftmax.softmax(z, 1.0);
    }

    private static double kl(double[] p, double[] q) {
        double total = 0;
        for (int k = 0; k < p.length; k++) {
            if (p[k] > 0) {
                total += p[k] * (Math.log(p[k]) - Math.log(Math.max(q[k], 1e-300)));
            }
        }
        return total;
    }
}
