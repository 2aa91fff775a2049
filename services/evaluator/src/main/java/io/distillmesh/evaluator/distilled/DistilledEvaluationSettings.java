package io.distillmesh.evaluator.distilled;

import io.distillmesh.core.model.ModelSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How distilled sets are judged (config keys {@code distilled.*}): {@code replicas} fresh networks per set and per
 * baseline (K, default 10); the baselines' fixed step-size grid and how many replicas try each grid step on the
 * {@code heldOut} last training images; how many real images per class k-means clusters; and an optional second
 * architecture the set is also replayed on ({@code mlp}, {@code mlp:256,128} or {@code lenet}; blank: none).
 */
public record DistilledEvaluationSettings(int replicas, double[] stepGrid, int gridReplicas, int heldOut, int kmeansSample,
                                   String crossArchitecture) {
    public static final JsonObject DEFAULTS = new JsonObject().put("distilled.replicas", 10)
            .put("distilled.step-grid", "0.003,0.01,0.03,0.1,0.3,1").put("distilled.grid-replicas", 3)
            .put("distilled.held-out", 2000).put("distilled.kmeans-sample", 1000).put("distilled.cross-architecture", "");
    public static final int MAX_REPLICAS = 100;

    public DistilledEvaluationSettings {
        requireRange("distilled.replicas", replicas, 1, MAX_REPLICAS);
        requireRange("distilled.grid-replicas", gridReplicas, 1, MAX_REPLICAS);
        requireRange("distilled.held-out", heldOut, 10, 30_000);
        requireRange("distilled.kmeans-sample", kmeansSample, 1, 60_000);
        if (stepGrid.length == 0 || Arrays.stream(stepGrid).anyMatch(s -> !(s > 0) || Double.isInfinite(s))) {
            throw new IllegalArgumentException("distilled.step-grid must list positive step sizes, got "
                    + Arrays.toString(stepGrid));
        }
        stepGrid = stepGrid.clone();
        crossArchitecture = crossArchitecture == null ? "" : crossArchitecture.trim().toLowerCase(Locale.ROOT);
        crossNetwork(crossArchitecture, 0);
    }

    public static DistilledEvaluationSettings fromConfig(JsonObject conf) {
        JsonObject c = DEFAULTS.copy().mergeIn(conf);
        double[] grid;
        try {
            grid = Arrays.stream(c.getString("distilled.step-grid").split(",")).map(String::trim)
                    .mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("distilled.step-grid must be comma-separated numbers: " + e.getMessage());
        }
        return new DistilledEvaluationSettings(c.getInteger("distilled.replicas"), grid,
                c.getInteger("distilled.grid-replicas"), c.getInteger("distilled.held-out"),
                c.getInteger("distilled.kmeans-sample"), c.getString("distilled.cross-architecture"));
    }

    public DistilledEvaluationSettings withReplicas(int k) {
        return new DistilledEvaluationSettings(k, stepGrid, gridReplicas, heldOut, kmeansSample, crossArchitecture);
    }

    @Override
    public double[] stepGrid() {
        return stepGrid.clone();
    }

    /** The second architecture with seed {@code seed}, if one is configured. */
    Optional<ModelSpec> crossNetwork(long seed) {
        return crossNetwork(crossArchitecture, seed);
    }

    private static Optional<ModelSpec> crossNetwork(String name, long seed) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (ModelSpec.NAMES.contains(name)) {
            return Optional.of(ModelSpec.named(name, seed, 128));
        }
        if (name.startsWith("mlp:")) {
            try {
                return Optional.of(ModelSpec.mlp(seed, Arrays.stream(name.substring(4).split(",")).map(String::trim)
                        .mapToInt(Integer::parseInt).toArray()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("distilled.cross-architecture '" + name + "': " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("distilled.cross-architecture must be blank, mlp, mlp:<widths> or lenet,"
                + " got '" + name + "'");
    }

    public JsonObject toJson() {
        return new JsonObject().put("replicas", replicas).put("stepGrid", new JsonArray(Arrays.stream(stepGrid).boxed().toList()))
                .put("gridReplicas", gridReplicas).put("heldOutImages", heldOut).put("kmeansSample", kmeansSample)
                .put("crossArchitecture", crossArchitecture);
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in " + min + ".." + max + ", got " + value);
        }
    }
}
