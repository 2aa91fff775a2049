package io.distillmesh.evaluator.distilled;

import io.distillmesh.core.distill.BaselineSet;
import io.distillmesh.core.distill.ClassMeanImages;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.FixedStepGrid;
import io.distillmesh.core.distill.InitSampler;
import io.distillmesh.core.distill.InitSpec;
import io.distillmesh.core.distill.KMeansCentroids;
import io.distillmesh.core.distill.PretrainedPool;
import io.distillmesh.core.distill.RandomRealBaseline;
import io.distillmesh.core.distill.TrainingImages;
import io.distillmesh.core.engine.NetworkLogits;
import io.distillmesh.evaluator.metrics.ClassifierMetrics;
import io.distillmesh.evaluator.metrics.SubjectMetrics;
import io.distillmesh.evaluator.metrics.TestSetEvaluator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Judges a distilled set on the test set. K fresh networks from the set's own init spec are trained with exactly its
 * schedule and learned step sizes, and tested: mean ± std. A classification set is compared with three real-image
 * baselines of the same size and layout (random real images, class means, k-means centroids), each trained with
 * the best fixed step of a small grid ({@link FixedStepGrid}, chosen on held-out training images), and optionally
 * replayed on a second architecture. A poisoning set is measured by its attack: the pretrained networks are
 * tested before and after its steps. Blocking and CPU-heavy: worker threads only.
 */
public final class DistilledSetEvaluation {
    static final String SET = "distilled-set";
    static final String BEFORE = "before";
    static final String CROSS_ARCHITECTURE = "cross-architecture";
    static final String STEP_GRID = "step-grid";
    private final DistilledEvaluationSettings settings;
    private final TrainingImages training;
    private final TestSetEvaluator test;
    private final MeterRegistry registry;

    /** One line of the comparison: its point on the board, what it is, its metrics, how it was made, its images. */
    public record Row(String pointId, String kind, SubjectMetrics metrics, JsonObject details, DistilledSet images) {
    }

    /** The rows, the distilled set last, and a poisoning set's effect (null for other objectives). */
    public record Outcome(List<Row> rows, PoisoningEffect poisoning) {
    }

    DistilledSetEvaluation(DistilledEvaluationSettings settings, TrainingImages training, TestSetEvaluator test,
                           MeterRegistry registry) {
        this.settings = settings;
        this.training = training;
        this.test = test;
        this.registry = registry;
    }

    Outcome evaluate(DistilledSet set, DistilledObjective objective, PretrainedPool pool) {
        if (set.shape().features() != test.testSet().features()
                || set.schedule().classes() != test.testSet().numClasses()) {
            throw new IllegalArgumentException("the set's " + set.shape() + " images of " + set.schedule().classes()
                    + " classes do not fit the test set " + test.testSet().name());
        }
        InitSampler inits = new InitSampler(set.init(), pool);
        SetReplay replay = new SetReplay(inits);
        List<Row> rows = new ArrayList<>();
        SubjectMetrics before = null;
        if (objective.poisoning()) {
            before = replicas(BEFORE, replay::untrained);
            rows.add(new Row("poisoning:before", BEFORE, before, new JsonObject().put("network", replay.network()), null));
        } else {
            for (BaselineSet baseline : baselines(set, training, settings.kmeansSample())) {
                rows.add(baseline(baseline, set, inits, replay));
            }
            crossArchitecture(set).ifPresent(rows::add);
        }
        SubjectMetrics distilled = replicas(SET, k -> replay.trained(set, k));
        rows.add(new Row("set", SET, distilled, new JsonObject().put("network", replay.network()), set));
        return new Outcome(rows, objective.poisoning() ? PoisoningEffect.of(objective, before, distilled) : null);
    }

    /** The three baselines laid out like {@code set}, drawn from the training pool; what {@link #evaluate} compares with. */
    static List<BaselineSet> baselines(DistilledSet set, TrainingImages training, int kmeansSample) {
        long seed = set.init().seed();
        return List.of(new RandomRealBaseline(set.schedule(), training.pool(), set.shape(), seed + 1000),
                new ClassMeanImages(set.schedule(), training.pool()),
                new KMeansCentroids(set.schedule(), training.pool(), kmeansSample, seed));
    }

    private Row baseline(BaselineSet baseline, DistilledSet set, InitSampler inits, SetReplay replay) {
        FixedStepGrid grid = new FixedStepGrid(settings.stepGrid(), Math.min(settings.gridReplicas(), settings.replicas()),
                training.heldOut());
        FixedStepGrid.Choice choice = grid.choose(baseline, set, inits, timer(STEP_GRID)::record);
        double step = choice.step();
        SubjectMetrics metrics = replicas(baseline.kind(), k -> replay.trained(baseline.withStep(set, k, step), k));
        JsonObject details = toJson(choice).put("heldOutImages", grid.heldOutImages()).put("gridReplicas", grid.replicas())
                .put("network", replay.network());
        return new Row("baseline:" + baseline.kind(), baseline.kind(), metrics, details, baseline.withStep(set, 0, step));
    }

    /** The chosen step and the held-out accuracy of every grid step, as the result's details show them. */
    static JsonObject toJson(FixedStepGrid.Choice choice) {
        JsonArray grid = new JsonArray();
        for (int i = 0; i < choice.steps().length; i++) {
            grid.add(new JsonObject().put("step", choice.steps()[i])
                    .put("validationAccuracy", choice.validationAccuracy()[i]));
        }
        return new JsonObject().put("stepSize", choice.step()).put("grid", grid);
    }

    private Optional<Row> crossArchitecture(DistilledSet set) {
        if (set.init().mode().pretrained()) {
            return Optional.empty();
        }
        return settings.crossNetwork(set.init().seed()).map(network -> {
            InitSpec spec = InitSpec.random(network, set.init().seed(), 1).withDataType(set.init().dataType());
            SetReplay other = new SetReplay(new InitSampler(spec, PretrainedPool.EMPTY));
            SubjectMetrics metrics = replicas(CROSS_ARCHITECTURE, k -> other.trained(set, k));
            return new Row("cross-architecture:" + network.describe(), CROSS_ARCHITECTURE, metrics,
                    new JsonObject().put("network", network.describe()).put("init", "random"), null);
        });
    }

    /** Replicas 0..K−1 of {@code network} tested, each timed under {@code kind}. */
    private SubjectMetrics replicas(String kind, IntFunction<MultiLayerNetwork> network) {
        Timer timer = timer(kind);
        List<ClassifierMetrics> results = new ArrayList<>();
        for (int k = 0; k < settings.replicas(); k++) {
            int replica = k;
            results.add(timer.record(() -> test.evaluate(NetworkLogits.of(network.apply(replica)))));
        }
        return SubjectMetrics.over(results);
    }

    static Timer timer(MeterRegistry registry, String kind) {
        return Timer.builder("dm.evaluator.distilled.replay")
                .description("time to train one network on a distilled or baseline set and test it")
                .tag("kind", kind).register(registry);
    }

    private Timer timer(String kind) {
        return timer(registry, kind);
    }
}
