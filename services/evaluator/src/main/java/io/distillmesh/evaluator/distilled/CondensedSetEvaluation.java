package io.distillmesh.evaluator.distilled;

import io.distillmesh.core.condense.CondensedBaselines;
import io.distillmesh.core.condense.CondensedSet;
import io.distillmesh.core.condense.RecipeTraining;
import io.distillmesh.core.condense.SetEvaluation;
import io.distillmesh.core.distill.KMeansCentroids;
import io.distillmesh.core.distill.RandomRealBaseline;
import io.distillmesh.core.distill.TrainingImages;
import io.distillmesh.core.engine.NetworkLogits;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.evaluator.metrics.ClassifierMetrics;
import io.distillmesh.evaluator.metrics.SubjectMetrics;
import io.distillmesh.evaluator.metrics.TestSetEvaluator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Judges a condensed set as the condensation papers do and as the set's artifact says: K fresh networks of the
 * set's architecture trained on it by its recipe, and tested: mean ± std. Compared with random real images and
 * per-class k-means centroids of the same size, trained by the same recipe on the same networks, and optionally on a
 * second architecture. Blocking and CPU-heavy: worker threads only.
 */
final class CondensedSetEvaluation {
    private final DistilledEvaluationSettings settings;
    private final TrainingImages training;
    private final TestSetEvaluator test;
    private final MeterRegistry registry;

    CondensedSetEvaluation(DistilledEvaluationSettings settings, TrainingImages training, TestSetEvaluator test,
                           MeterRegistry registry) {
        this.settings = settings;
        this.training = training;
        this.test = test;
        this.registry = registry;
    }

    /** The rows: the baselines (random real, k-means), an optional cross-architecture row, and the set last. */
    DistilledSetEvaluation.Outcome evaluate(CondensedSet set, List<Baseline> baselines) {
        if (set.shape().features() != test.testSet().features() || set.classes() != test.testSet().numClasses()) {
            throw new IllegalArgumentException("the set's " + set.shape() + " images of " + set.classes()
                    + " classes do not fit the test set " + test.testSet().name());
        }
        List<DistilledSetEvaluation.Row> rows = new ArrayList<>();
        for (Baseline baseline : baselines) {
            rows.add(row("baseline:" + baseline.kind(), baseline.kind(), baseline.images(), set.network()));
        }
        settings.crossNetwork(set.network().seed()).ifPresent(network ->
                rows.add(row("cross-architecture:" + network.describe(), DistilledSetEvaluation.CROSS_ARCHITECTURE, set,
                        network)));
        rows.add(row("set", DistilledSetEvaluation.SET, set, set.network()));
        return new DistilledSetEvaluation.Outcome(rows, null);
    }

    /** A baseline set of real images and what it is ({@code random-real}, {@code k-means}). */
    record Baseline(String kind, CondensedSet images) {
    }

    /** Random real images and k-means centroids laid out like {@code set}, seeded by its network's seed. */
    static List<Baseline> baselines(CondensedSet set, TrainingImages training, int kmeansSample) {
        long seed = set.network().seed();
        return List.of(new Baseline(RandomRealBaseline.KIND, CondensedBaselines.randomReal(set.network(), set.recipe(),
                        set.imagesPerClass(), training.pool(), seed + 1000)),
                new Baseline(KMeansCentroids.KIND, CondensedBaselines.kMeans(set.network(), set.recipe(),
                        set.imagesPerClass(), training.pool(), kmeansSample, seed)));
    }

    private DistilledSetEvaluation.Row row(String pointId, String kind, CondensedSet images, ModelSpec network) {
        Timer timer = DistilledSetEvaluation.timer(registry, kind);
        List<ClassifierMetrics> results = new ArrayList<>();
        for (int k = 0; k < settings.replicas(); k++) {
            long seed = SetEvaluation.networkSeed(k);
            results.add(timer.record(() -> test.evaluate(NetworkLogits.of(RecipeTraining.train(network,
                    images.recipe(), images.features(), images.labels(), seed)))));
        }
        JsonObject details = new JsonObject().put("network", network.describe()).put("recipe", images.recipe().describe())
                .put("images", images.size());
        return new DistilledSetEvaluation.Row(pointId, kind, SubjectMetrics.over(results), details, null);
    }
}
