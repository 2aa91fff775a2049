package io.distillmesh.core.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * A whole run's learning rate: constant, or one cycle (a linear warm-up from a tenth of the peak over the first
 * {@value #WARM_UP_SHARE} of the iterations, then a linear fall to a hundredth of it at the end), set on a DL4J
 * network as an iteration {@link MapSchedule} of {@value #PIECES} constant pieces so that the saved configuration
 * carries it and any trainer (the engine or DL4J's own) follows it.
 */
public record LearningRatePlan(String name, double peak, long iterations) {
    static final double WARM_UP_SHARE = 0.15;
    static final int PIECES = 200;

    public LearningRatePlan {
        if (!(peak > 0) || iterations < 1) {
            throw new IllegalArgumentException("a learning-rate plan needs a positive rate and iteration count, got "
                    + peak + " and " + iterations);
        }
    }

    public static LearningRatePlan parse(String name, double peak, long iterations) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!n.equals("constant") && !n.equals("one-cycle")) {
            throw new IllegalArgumentException("unknown learning-rate schedule '" + name + "', known: constant, one-cycle");
        }
        return new LearningRatePlan(n, peak, iterations);
    }

    /** The rate at iteration {@code i} (0-based). */
    public double rateAt(long i) {
        if (name.equals("constant")) {
            return peak;
        }
        double progress = Math.min(1, (double) i / iterations);
        if (progress < WARM_UP_SHARE) {
            return peak * (0.1 + 0.9 * progress / WARM_UP_SHARE);
        }
        return peak * (1 - 0.99 * (progress - WARM_UP_SHARE) / (1 - WARM_UP_SHARE));
    }

    /** The schedule DL4J reads, or null for a constant rate (the configuration's own). */
    ISchedule schedule() {
        if (name.equals("constant")) {
            return null;
        }
        Map<Integer, Double> values = new LinkedHashMap<>();
        for (int piece = 0; piece < PIECES; piece++) {
            long from = iterations * piece / PIECES;
            long middle = iterations * (2L * piece + 1) / (2L * PIECES);
            values.putIfAbsent((int) from, rateAt(middle));
        }
        return new MapSchedule(ScheduleType.ITERATION, values);
    }

    public void applyTo(MultiLayerNetwork net) {
        ISchedule schedule = schedule();
        if (schedule != null) {
            net.setLearningRate(schedule);
        }
    }

    public void applyTo(ComputationGraph graph) {
        ISchedule schedule = schedule();
        if (schedule != null) {
            graph.setLearningRate(schedule);
        }
    }
}
