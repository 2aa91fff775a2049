package io.distillmesh.student;

import io.distillmesh.core.fsp.FspPair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Stage 1 of an FSP student (Yim et al. 2017): passes over the run's FSP topic, the loss weight λ, the layer
 * pairs (the teacher's run must stream the same ones, in the same order), and, for shuffled FSP, the seed of the
 * channel permutation applied to the teacher's matrices (null: the teacher's channels as they are).
 */
public record FspStage(int epochs, double lambda, List<FspPair> pairs, Long permutationSeed) {
    private static final Set<String> FIELDS = Set.of("epochs", "lambda", "pairs", "permutationSeed");

    public FspStage {
        if (epochs < 1) {
            throw new IllegalArgumentException("fsp.epochs must be positive, got " + epochs);
        }
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("fsp.lambda must be positive and finite, got " + lambda);
        }
        if (pairs == null || pairs.isEmpty()) {
            throw new IllegalArgumentException("fsp.pairs needs at least one [first, second] layer pair");
        }
        pairs = List.copyOf(pairs);
    }

    static FspStage fromJson(JsonObject json) {
        for (String field : json.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown fsp field '" + field + "', allowed: " + FIELDS);
            }
        }
        Object rawPairs = json.getValue("pairs");
        if (!(rawPairs instanceof JsonArray array)) {
            throw new IllegalArgumentException("fsp.pairs must be an array of [first, second] layer-name pairs");
        }
        List<FspPair> pairs = new ArrayList<>();
        for (Object item : array) {
            if (!(item instanceof JsonArray pair) || pair.size() != 2 || !(pair.getValue(0) instanceof String)
                    || !(pair.getValue(1) instanceof String)) {
                throw new IllegalArgumentException("each of fsp.pairs must be [first, second] layer names, got " + item);
            }
            pairs.add(new FspPair(pair.getString(0), pair.getString(1)));
        }
        return new FspStage(json.getInteger("epochs", 1), json.getDouble("lambda", 1.0), pairs,
                json.getLong("permutationSeed"));
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject().put("epochs", epochs).put("lambda", lambda)
                .put("pairs", new JsonArray(pairs.stream().map(p -> new JsonArray().add(p.first()).add(p.second())).toList()));
        return permutationSeed == null ? json : json.put("permutationSeed", permutationSeed);
    }
}
