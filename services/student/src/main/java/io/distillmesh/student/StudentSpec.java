package io.distillmesh.student;

import java.util.Arrays;
import io.distillmesh.core.fsp.FspStudentGraph;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ResNetSpec;
import io.distillmesh.messaging.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * One student: which run it learns from, its network, its temperature T' and weight α (α = 0: hard labels
 * only), how many passes over the run's stream, the minibatch size, and how often it checkpoints. A residual
 * student ({@code architecture: resnet}) has a {@link ResNetSpec} instead of a {@link ModelSpec}, and may have an
 * FSP stage 1 before it trains on the soft-target stream.
 */
public record StudentSpec(String studentId, String runId, ModelSpec model, double temperature, double alpha,
                          int epochs, int batchSize, int checkpointEveryBatches, ResNetSpec resnet, FspStage fsp,
                          SpecialistRole specialist) {
    private static final Set<String> FIELDS = Set.of("studentId", "runId", "architecture", "hidden", "channels",
            "dropout", "learningRate", "seed", "temperature", "alpha", "epochs", "batchSize", "checkpointEveryBatches",
            "blocks", "widths", "stemStride", "fsp", "classes", "generalist");

    /** A plain (MLP or CNN) student. */
    public StudentSpec(String studentId, String runId, ModelSpec model, double temperature, double alpha,
                       int epochs, int batchSize, int checkpointEveryBatches) {
        this(studentId, runId, model, temperature, alpha, epochs, batchSize, checkpointEveryBatches, null, null, null);
    }

    public StudentSpec {
        Topics.requireValidRunId(studentId);
        Topics.requireValidRunId(runId);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        if (epochs < 1 || batchSize < 1 || checkpointEveryBatches < 1) {
            throw new IllegalArgumentException("epochs, batchSize and checkpointEveryBatches must be positive");
        }
        if ((model != null ? 1 : 0) + (resnet != null ? 1 : 0) + (specialist != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException("a student has one of a plain model, a residual network or a specialist role");
        }
        if (fsp != null && resnet == null) {
            throw new IllegalArgumentException("an FSP stage needs a residual student (architecture resnet)");
        }
        if (fsp != null) {
            FspStudentGraph.stagesNeeded(resnet, fsp.pairs());
        }
    }

    public boolean residual() {
        return resnet != null;
    }

    public boolean isSpecialist() {
        return specialist != null;
    }

    public static StudentSpec fromJson(JsonObject json) {
        for (String field : json.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown student field '" + field + "', allowed: " + FIELDS);
            }
        }
        try {
            String architecture = json.getString("architecture", "mlp");
            if (architecture.equalsIgnoreCase("resnet")) {
                return residualFromJson(json);
            }
            if (architecture.equalsIgnoreCase("specialist")) {
                return specialistFromJson(json);
            }
            for (String residualOnly : List.of("blocks", "widths", "stemStride", "fsp", "classes", "generalist")) {
                if (json.containsKey(residualOnly)) {
                    throw new IllegalArgumentException("'" + residualOnly + "' needs architecture resnet");
                }
            }
            ModelSpec.Architecture arch;
            try {
                arch = ModelSpec.Architecture.valueOf(architecture.toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown architecture '" + architecture
                        + "' (mlp, cnn, resnet or specialist)");
            }
            ModelSpec model = new ModelSpec(arch, ints(json.getJsonArray("hidden", new JsonArray().add(64))),
                    ints(json.getJsonArray("channels", new JsonArray().add(16).add(32))),
                    json.getDouble("dropout", 0.0), json.getDouble("learningRate", 1e-3),
                    json.getLong("seed", 1L), 10);
            return new StudentSpec(json.getString("studentId"), json.getString("runId"), model,
                    json.getDouble("temperature", 4.0), json.getDouble("alpha", 0.9), json.getInteger("epochs", 1),
                    json.getInteger("batchSize", 64), json.getInteger("checkpointEveryBatches", 200));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("a student field has the wrong type: " + e.getMessage());
        }
    }

    private static StudentSpec specialistFromJson(JsonObject json) {
        for (String other : List.of("hidden", "channels", "dropout", "blocks", "widths", "stemStride", "fsp")) {
            if (json.containsKey(other)) {
                throw new IllegalArgumentException("'" + other + "' is not a field of a specialist (it has the generalist's network)");
            }
        }
        JsonArray classes = json.getJsonArray("classes");
        if (classes == null) {
            throw new IllegalArgumentException("a specialist needs its classes");
        }
        SpecialistRole role = new SpecialistRole(ints(classes), json.getString("generalist"),
                json.getDouble("learningRate", 1e-3), json.getLong("seed", 1L));
        return new StudentSpec(json.getString("studentId"), json.getString("runId"), null,
                json.getDouble("temperature", 4.0), json.getDouble("alpha", 0.9), json.getInteger("epochs", 1),
                json.getInteger("batchSize", 64), json.getInteger("checkpointEveryBatches", 200), null, null, role);
    }

    private static StudentSpec residualFromJson(JsonObject json) {
        for (String plainOnly : List.of("hidden", "channels", "dropout", "classes", "generalist")) {
            if (json.containsKey(plainOnly)) {
                throw new IllegalArgumentException("'" + plainOnly + "' is not a field of a resnet student");
            }
        }
        ResNetSpec resnet = new ResNetSpec(ints(json.getJsonArray("blocks", new JsonArray().add(1).add(1).add(1))),
                ints(json.getJsonArray("widths", new JsonArray().add(16).add(32).add(64))),
                json.getInteger("stemStride", 1), json.getDouble("learningRate", 1e-3), json.getLong("seed", 1L), 10);
        JsonObject fsp = json.getJsonObject("fsp");
        return new StudentSpec(json.getString("studentId"), json.getString("runId"), null,
                json.getDouble("temperature", 4.0), json.getDouble("alpha", 0.9), json.getInteger("epochs", 1),
                json.getInteger("batchSize", 64), json.getInteger("checkpointEveryBatches", 200), resnet,
                fsp == null ? null : FspStage.fromJson(fsp), null);
    }

    public JsonObject toJson() {
        if (isSpecialist()) {
            return new JsonObject().put("studentId", studentId).put("runId", runId).put("architecture", "specialist")
                    .put("classes", specialist.classesJson()).put("generalist", specialist.generalistModel())
                    .put("learningRate", specialist.learningRate()).put("seed", specialist.seed())
                    .put("temperature", temperature).put("alpha", alpha).put("epochs", epochs)
                    .put("batchSize", batchSize).put("checkpointEveryBatches", checkpointEveryBatches);
        }
        if (residual()) {
            JsonObject json = new JsonObject().put("studentId", studentId).put("runId", runId).put("architecture", "resnet")
                    .put("blocks", new JsonArray(Arrays.stream(resnet.blocksPerStage()).boxed().toList()))
                    .put("widths", new JsonArray(Arrays.stream(resnet.widths()).boxed().toList()))
                    .put("stemStride", resnet.stemStride()).put("learningRate", resnet.learningRate())
                    .put("seed", resnet.seed()).put("temperature", temperature).put("alpha", alpha).put("epochs", epochs)
                    .put("batchSize", batchSize).put("checkpointEveryBatches", checkpointEveryBatches);
            return fsp == null ? json : json.put("fsp", fsp.toJson());
        }
        return new JsonObject().put("studentId", studentId).put("runId", runId)
                .put("architecture", model.architecture().name().toLowerCase())
                .put("hidden", new JsonArray(Arrays.stream(model.hidden()).boxed().toList()))
                .put("channels", new JsonArray(Arrays.stream(model.channels()).boxed().toList()))
                .put("dropout", model.dropout()).put("learningRate", model.learningRate()).put("seed", model.seed())
                .put("temperature", temperature).put("alpha", alpha).put("epochs", epochs)
                .put("batchSize", batchSize).put("checkpointEveryBatches", checkpointEveryBatches);
    }

    private static int[] ints(JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.getInteger(i);
        }
        return out;
    }
}
