package io.distillmesh.core.condense;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.eval.Accuracy;
import io.distillmesh.core.model.ModelSpec;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The papers' evaluation of a small training set: K fresh networks, each trained on the set by a
 * {@link TrainingRecipe}, scored on the test set; mean ± standard deviation of their accuracies. The networks'
 * seeds are a stream of their own ({@link #networkSeed}), apart from any seed the set was made with.
 */
public final class SetEvaluation {
    /** The test accuracies of the K networks of one architecture. */
    public record Score(String network, double[] accuracies) {
        public double mean() {
            return Arrays.stream(accuracies).average().orElse(Double.NaN);
        }

        /** Sample standard deviation (0 for one network). */
        public double std() {
            if (accuracies.length < 2) {
                return 0;
            }
            double m = mean();
            return Math.sqrt(Arrays.stream(accuracies).map(a -> (a - m) * (a - m)).sum() / (accuracies.length - 1));
        }

        public String describe() {
            return String.format("%s %.2f ± %.2f %% (%d networks)", network, 100 * mean(), 100 * std(),
                    accuracies.length);
        }
    }

    private SetEvaluation() {
    }

    public static Score of(CondensedSet set, ModelSpec network, int networks, LabelledImages test) {
        return of(set.features(), set.labels(), network, set.recipe(), networks, test);
    }

    /** K = {@code networks} of {@code network}'s architecture trained on (x, y) by {@code recipe}. */
    public static Score of(INDArray x, INDArray y, ModelSpec network, TrainingRecipe recipe, int networks,
                           LabelledImages test) {
        if (networks < 1) {
            throw new IllegalArgumentException("evaluate with at least one network, got " + networks);
        }
        double[] accuracies = new double[networks];
        for (int k = 0; k < networks; k++) {
            MultiLayerNetwork net = RecipeTraining.train(network, recipe, x, y, networkSeed(k));
            accuracies[k] = Accuracy.of(net, test);
        }
        return new Score(network.describe(), accuracies);
    }

    /** Evaluation network k's seed. */
    public static long networkSeed(int k) {
        return 2_000_000_011L + 104_729L * k;
    }
}
