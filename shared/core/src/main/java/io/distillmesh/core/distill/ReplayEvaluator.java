package io.distillmesh.core.distill;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.OffHeap;
import io.distillmesh.core.eval.Accuracy;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Accuracy of networks trained on a distilled (or baseline) set, one per evaluation init. The networks it scores
 * itself are freed once scored; one it hands out ({@link #trainedNetwork}) is the caller's.
 */
public final class ReplayEvaluator {
    private final InitSampler inits;
    private final LabelledImages data;
    private final int firstInit;

    public ReplayEvaluator(InitSampler inits, LabelledImages data) {
        this(inits, data, 0);
    }

    /** Evaluates from evaluation inits {@code firstInit}, {@code firstInit + 1}, ... instead of 0, 1, ... */
    public ReplayEvaluator(InitSampler inits, LabelledImages data, int firstInit) {
        if (inits == null || data == null || data.size() == 0 || firstInit < 0) {
            throw new IllegalArgumentException("evaluation inits from a non-negative index and a non-empty data set"
                    + " are required");
        }
        this.inits = inits;
        this.data = data;
        this.firstInit = firstInit;
    }

    /** Accuracy on the data after replaying {@code set} from evaluation inits 0..count−1 (after the first). */
    public double[] trained(DistilledSet set, int count) {
        double[] out = new double[count];
        for (int k = 0; k < count; k++) {
            out[k] = accuracy(set, k);
        }
        return out;
    }

    /** Accuracy on the data after replaying {@code set} from evaluation init {@code k} (after the first). */
    public double accuracy(DistilledSet set, int k) {
        return scoreAndFree(trainedNetwork(set, k));
    }

    private double scoreAndFree(MultiLayerNetwork net) {
        try {
            return Accuracy.of(net, data);
        } finally {
            OffHeap.release(net.params());
        }
    }

    /** Accuracy of evaluation inits 0..count−1 themselves, untrained. */
    public double[] untrained(int count) {
        double[] out = new double[count];
        for (int k = 0; k < count; k++) {
            MultiLayerNetwork net = inits.newNetwork();
            INDArray theta0 = inits.evaluation(firstInit + k);
            net.setParams(theta0);
            OffHeap.release(theta0);
            out[k] = scoreAndFree(net);
        }
        return out;
    }

    public MultiLayerNetwork trainedNetwork(DistilledSet set, int k) {
        INDArray theta0 = inits.evaluation(firstInit + k);
        try {
            return DistilledReplay.train(inits.newNetwork(), theta0, set);
        } finally {
            OffHeap.release(theta0);
        }
    }

    public static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }

    /** Sample standard deviation (0 for one value). */
    public static double std(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double m = mean(values);
        double s = 0;
        for (double v : values) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (values.length - 1));
    }
}
