package io.distillmesh.distiller;

import io.distillmesh.core.condense.Condensation;
import io.distillmesh.core.distill.InitMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One distillation job as submitted: the same shape in a REST body and in every record and artifact it
 * produces, with every default filled in, so a result can be replayed from its own record. Parsing checks
 * field names and types only; {@link DistillJobValidator} decides whether the job can run.
 *
 * <p>{@code network} mlp (with {@code hidden} widths, default one layer of 128) or lenet; {@code imagesPerClass} M, {@code steps} S and
 * {@code epochs} E of the distilled schedule; {@code init} fixed, random, fixed-pretrained or random-pretrained
 * (with {@code modelsPerIteration} and {@code pretrained}, model files in the models directory);
 * {@code objective} classification, poisoning ({@code attackClass} → {@code targetClass}) or adaptation
 * (from the {@code sourceDomain} the pretrained models were trained on); {@code imageInit} noise or real;
 * the outer loop's {@code iterations}, {@code realBatch}, {@code initialStep} η₀ and Adam learning rate
 * {@code learningRate} × {@code lrDecay} every {@code lrDecayEvery} iterations (0: constant). With
 * {@code keepBestEvery} N &gt; 0 the last {@code validation} training images are held out of the real batches, every
 * N iterations the set is replayed from {@code validationInits} evaluation inits (1 in the fixed modes, by default 4
 * in the random ones, at most the pool's size in random-pretrained mode, whose inits are pool members the
 * distillation also draws) and scored on them, and the best-scoring set is the job's result instead of the last.
 *
 * <p>{@code objective} distribution-matching (Zhao &amp; Bilen 2023), mmd-matching (its embeddings matched by a
 * Gaussian-kernel MMD, Zhang et al. 2024) or gradient-matching (Zhao et al. 2021, with the paper's outer and inner
 * loops for the number of images per class) condenses instead: {@code network} convnet
 * (the default for it) of {@code width} channels and {@code depth} blocks, {@code iterations} draws of a random init,
 * {@code realPerClass} real images of each class per iteration, the images' SGD {@code imageLearningRate} and
 * {@code imageMomentum} (learning rate 0.1 for distribution and MMD matching, 0.01 for gradient matching by default),
 * {@code imageInit} real (its default) or noise, {@code evalEpochs} of the recipe the
 * set is to be trained by, and the differentiable {@code augmentation} ("none", "dsa" or e.g. "crop,scale,rotate",
 * drawn alike for the real and synthetic images while condensing and, unless {@code evalAugmentation} says
 * otherwise, per image in the recipe); {@code evalWidth} (by default {@code width}) is the width of the ConvNet the
 * set states it is to be trained on. Of the Wang-only fields, {@code init}, {@code modelsPerIteration} and {@code pretrained}
 * are refused if given; the others are echoed but do not act.
 */
public record DistillJobSpec(String dataset, String network, int[] hidden, int imagesPerClass, int steps, int epochs,
                             String init, int modelsPerIteration, List<String> pretrained, String objective,
                             int attackClass, int targetClass, String sourceDomain, String imageInit, int iterations,
                             int realBatch, long seed, double initialStep, double learningRate, double lrDecay,
                             int lrDecayEvery, int width, int depth, int realPerClass, double imageLearningRate,
                             double imageMomentum, int evalEpochs, String augmentation, int evalWidth,
                             String evalAugmentation, int keepBestEvery, int validation, int validationInits) {

    static final Set<String> FIELDS = new LinkedHashSet<>(List.of("jobId", "dataset", "network", "hidden",
            "imagesPerClass", "steps", "epochs", "init", "modelsPerIteration", "pretrained", "objective", "attackClass",
            "targetClass", "sourceDomain", "imageInit", "iterations", "realBatch", "seed", "initialStep",
            "learningRate", "lrDecay", "lrDecayEvery", "width", "depth", "realPerClass", "imageLearningRate",
            "imageMomentum", "evalEpochs", "augmentation", "evalWidth", "evalAugmentation", "keepBestEvery", "validation",
            "validationInits"));

    public DistillJobSpec {
        hidden = hidden.clone();
        pretrained = List.copyOf(pretrained);
    }

    /** A REST body or config object; unknown fields and wrong types are refused with the reason. */
    public static DistillJobSpec fromJson(JsonObject json) {
        for (String field : json.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "', allowed: " + FIELDS);
            }
        }
        Object objective = json.getValue("objective");
        boolean condensing = objective instanceof String o && Condensation.OBJECTIVES.contains(o);
        return new DistillJobSpec(text(json, "dataset", "fashion-mnist"),
                text(json, "network", condensing ? "convnet" : "lenet"),
                ints(json.getValue("hidden"), "hidden",
                        "mlp".equals(json.getValue("network")) ? new int[]{128} : new int[0]), integer(json, "imagesPerClass", 1),
                integer(json, "steps", 10), integer(json, "epochs", 3), text(json, "init", "fixed"),
                integer(json, "modelsPerIteration", 1), strings(json.getValue("pretrained"), "pretrained"),
                text(json, "objective", "classification"), integer(json, "attackClass", 9),
                integer(json, "targetClass", 7), text(json, "sourceDomain", ""),
                text(json, "imageInit", condensing ? "real" : "noise"),
                integer(json, "iterations", 200), integer(json, "realBatch", 1024), seed(json),
                number(json, "initialStep", 0.02, false), number(json, "learningRate", 0.01, false),
                number(json, "lrDecay", 0.5, false), integer(json, "lrDecayEvery", 0), integer(json, "width", 32),
                integer(json, "depth", 3), integer(json, "realPerClass", 64),
                number(json, "imageLearningRate", condensing ? Condensation.defaultImageLearningRate((String) objective)
                        : 0.1, false), number(json, "imageMomentum", 0.5, false),
                integer(json, "evalEpochs", 300), text(json, "augmentation", "none"),
                integer(json, "evalWidth", integer(json, "width", 32)),
                text(json, "evalAugmentation", text(json, "augmentation", "none")),
                integer(json, "keepBestEvery", 0), integer(json, "validation", 2000),
                integer(json, "validationInits",
                        defaultValidationInits(json, strings(json.getValue("pretrained"), "pretrained"))));
    }

    public JsonObject toJson() {
        JsonArray widths = new JsonArray();
        for (int h : hidden) {
            widths.add(h);
        }
        return new JsonObject().put("dataset", dataset).put("network", network).put("hidden", widths)
                .put("imagesPerClass", imagesPerClass).put("steps", steps).put("epochs", epochs).put("init", init)
                .put("modelsPerIteration", modelsPerIteration).put("pretrained", new JsonArray(pretrained))
                .put("objective", objective).put("attackClass", attackClass).put("targetClass", targetClass)
                .put("sourceDomain", sourceDomain).put("imageInit", imageInit).put("iterations", iterations)
                .put("realBatch", realBatch).put("seed", seed).put("initialStep", initialStep)
                .put("learningRate", learningRate).put("lrDecay", lrDecay).put("lrDecayEvery", lrDecayEvery)
                .put("width", width).put("depth", depth).put("realPerClass", realPerClass)
                .put("imageLearningRate", imageLearningRate).put("imageMomentum", imageMomentum)
                .put("evalEpochs", evalEpochs).put("augmentation", augmentation).put("evalWidth", evalWidth)
                .put("evalAugmentation", evalAugmentation).put("keepBestEvery", keepBestEvery)
                .put("validation", validation).put("validationInits", validationInits);
    }

    /** Whether the job condenses (distribution, MMD or gradient matching) rather than distils by Wang et al.'s meta-gradient. */
    public boolean condenses() {
        return objective != null && Condensation.OBJECTIVES.contains(objective);
    }

    /** S·E: the inner gradient steps the meta-gradient unrolls. */
    public long totalSteps() {
        return (long) steps * epochs;
    }

    /** 1 in the fixed modes; 4 in random mode; 4 or the pool's size, if smaller, in random-pretrained mode. */
    private static int defaultValidationInits(JsonObject json, List<String> pretrained) {
        InitMode mode;
        try {
            mode = json.getValue("init") instanceof String init ? InitMode.parse(init) : InitMode.FIXED;
        } catch (IllegalArgumentException unknownMode) {
            return 1; // the validator refuses the mode with its reason
        }
        return switch (mode) {
            case FIXED, FIXED_PRETRAINED -> 1;
            case RANDOM -> 4;
            case RANDOM_PRETRAINED -> Math.max(1, Math.min(4, pretrained.size()));
        };
    }

    private static String text(JsonObject json, String field, String fallback) {
        Object value = json.getValue(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(field + " must be a string, got " + value);
        }
        return s;
    }

    private static int integer(JsonObject json, String field, int fallback) {
        double value = number(json, field, fallback, true);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " is out of range: " + json.getValue(field));
        }
        return (int) value;
    }

    private static long seed(JsonObject json) {
        Object value = json.getValue("seed");
        if (value == null) {
            return 42L;
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            throw new IllegalArgumentException("seed must be an integer, got " + value);
        }
        return ((Number) value).longValue();
    }

    private static double number(JsonObject json, String field, double fallback, boolean integral) {
        Object value = json.getValue(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException(field + " must be a number, got " + value);
        }
        if (integral && !(value instanceof Integer || value instanceof Long)) {
            throw new IllegalArgumentException(field + " must be an integer, got " + value);
        }
        return n.doubleValue();
    }

    private static int[] ints(Object value, String field, int[] fallback) {
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof JsonArray array)) {
            throw new IllegalArgumentException(field + " must be an array of integers, got " + value);
        }
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(array.getValue(i) instanceof Integer n)) {
                throw new IllegalArgumentException(field + " must be an array of integers, got " + array.encode());
            }
            out[i] = n;
        }
        return out;
    }

    private static List<String> strings(Object value, String field) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw new IllegalArgumentException(field + " must be an array of file names, got " + value);
        }
        List<String> out = new ArrayList<>();
        for (Object item : array) {
            if (!(item instanceof String s)) {
                throw new IllegalArgumentException(field + " must be an array of file names, got " + array.encode());
            }
            out.add(s);
        }
        return out;
    }
}
