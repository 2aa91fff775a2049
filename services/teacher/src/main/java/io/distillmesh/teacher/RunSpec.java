package io.distillmesh.teacher;

import io.distillmesh.core.data.DataSets;
import io.distillmesh.core.fsp.FspPair;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.vertx.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One teacher run: which teacher model (a file in the models directory), which data set and split to stream, at which temperature, how many passes,
 * the inference batch size, how many samples keep their label (all when absent), a seed for
 * the sample order and the labelled subset, the layer pairs whose FSP matrices the teacher also streams
 * (none when empty; they need a residual teacher), and how many samples of a piece go into one soft-target record
 * (the default puts a whole default piece into one; students read fewer, larger records faster).
 */
public record RunSpec(String runId, String model, String dataset, String split, double temperature, int epochs,
                      int batchSize, int limit, int labelled, long seed, List<FspPair> fspPairs,
                      int samplesPerRecord) {
    public static final int DEFAULT_SAMPLES_PER_RECORD = 256;
    /** 1,024 Fashion-MNIST samples make a record of about 850 kB, under Kafka's default limit of 1 MB. */
    public static final int MAX_SAMPLES_PER_RECORD = 1024;
    private static final Set<String> FIELDS = Set.of("runId", "model", "dataset", "split", "temperature", "epochs",
            "batchSize", "limit", "labelled", "seed", "fspPairs", "samplesPerRecord");
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}\\.zip");

    public RunSpec {
        Topics.requireValidRunId(runId);
        if (model == null || !MODEL_NAME.matcher(model).matches() || model.startsWith(".")) {
            throw new IllegalArgumentException("model must be a file name like teacher-cnn.zip in the models"
                    + " directory, got '" + model + "'");
        }
        DataSets.requireKnown(dataset);
        if (!split.equals("train") && !split.equals("test")) {
            throw new IllegalArgumentException("split must be 'train' or 'test', got '" + split + "'");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        if (epochs < 1 || epochs > 1000) {
            throw new IllegalArgumentException("epochs must be in [1, 1000], got " + epochs);
        }
        if (batchSize < 1 || batchSize > 8192) {
            throw new IllegalArgumentException("batchSize must be in [1, 8192], got " + batchSize);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        if (labelled < 0) {
            throw new IllegalArgumentException("labelled must be >= 0, got " + labelled);
        }
        if (samplesPerRecord < 1 || samplesPerRecord > MAX_SAMPLES_PER_RECORD) {
            throw new IllegalArgumentException("samplesPerRecord must be in [1, " + MAX_SAMPLES_PER_RECORD + "], got "
                    + samplesPerRecord);
        }
        fspPairs = fspPairs == null ? List.of() : List.copyOf(fspPairs);
    }

    /** A run that streams soft targets only, the default number of samples a record. */
    public RunSpec(String runId, String model, String dataset, String split, double temperature, int epochs,
                   int batchSize, int limit, int labelled, long seed) {
        this(runId, model, dataset, split, temperature, epochs, batchSize, limit, labelled, seed, List.of());
    }

    /** A run that also streams the FSP matrices of {@code fspPairs}, the default number of samples a record. */
    public RunSpec(String runId, String model, String dataset, String split, double temperature, int epochs,
                   int batchSize, int limit, int labelled, long seed, List<FspPair> fspPairs) {
        this(runId, model, dataset, split, temperature, epochs, batchSize, limit, labelled, seed, fspPairs,
                DEFAULT_SAMPLES_PER_RECORD);
    }

    /** The same run with {@code samples} samples a soft-target record. */
    public RunSpec withSamplesPerRecord(int samples) {
        return new RunSpec(runId, model, dataset, split, temperature, epochs, batchSize, limit, labelled, seed,
                fspPairs, samples);
    }

    public boolean streamsFsp() {
        return !fspPairs.isEmpty();
    }

    /** Parses a REST body; unknown fields, wrong types and numbers that do not fit are refused with the reason. */
    public static RunSpec fromJson(JsonObject json, String defaultModel) {
        JsonFields fields = JsonFields.of(json, FIELDS);
        return new RunSpec(fields.requiredString("runId"), fields.string("model", defaultModel),
                fields.string("dataset", "fashion-mnist"), fields.string("split", "train"),
                fields.number("temperature", 4.0), fields.integer("epochs", 1), fields.integer("batchSize", 256),
                fields.integer("limit", Integer.MAX_VALUE), fields.integer("labelled", Integer.MAX_VALUE),
                fields.longInteger("seed", 1L), fspPairs(fields.value("fspPairs")),
                fields.integer("samplesPerRecord", DEFAULT_SAMPLES_PER_RECORD));
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("runId", runId).put("model", model).put("dataset", dataset)
                .put("split", split).put("temperature", temperature).put("epochs", epochs).put("batchSize", batchSize)
                .put("limit", limit).put("labelled", labelled).put("seed", seed)
                .put("samplesPerRecord", samplesPerRecord);
        if (streamsFsp()) {
            json.put("fspPairs", new JsonArray(fspPairs.stream().map(p -> new JsonArray().add(p.first()).add(p.second()))
                    .toList()));
        }
        return json;
    }

    /** Each field whose value differs in {@code other}, as {@code "field this vs other"}. */
    public List<String> differencesTo(RunSpec other) {
        JsonObject mine = toJson();
        JsonObject theirs = other.toJson();
        Set<String> fields = new TreeSet<>(mine.fieldNames());
        fields.addAll(theirs.fieldNames());
        return fields.stream().filter(f -> !Objects.equals(mine.getValue(f), theirs.getValue(f)))
                .map(f -> f + " " + mine.getValue(f) + " vs " + theirs.getValue(f)).toList();
    }

    /** {@code [["stem", "stage1"], ...]}: each pair two layer names. */
    static List<FspPair> fspPairs(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw new IllegalArgumentException("fspPairs must be an array of [first, second] layer-name pairs");
        }
        List<FspPair> pairs = new ArrayList<>();
        for (Object item : array) {
            if (!(item instanceof JsonArray pair) || pair.size() != 2 || !(pair.getValue(0) instanceof String)
                    || !(pair.getValue(1) instanceof String)) {
                throw new IllegalArgumentException("each of fspPairs must be [first, second] layer names, got " + item);
            }
            pairs.add(new FspPair(pair.getString(0), pair.getString(1)));
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("fspPairs, when given, needs at least one pair");
        }
        return pairs;
    }
}
