package io.distillmesh.student;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The student service's own settings from its configuration: the student it trains (its spec, from the flat
 * student.* keys, so that each has an environment variable), the directory of its checkpoints and the replication
 * factor of the topics it creates.
 */
public record StudentSettings(StudentSpec spec, Path checkpointDir, int replicationFactor) {
    /**
     * Keys of residual (resnet/FSP) students, read from the config file only: they are not in
     * StudentVerticle.DEFAULTS, so they have no environment variables and plain students' manifests need not set them.
     */
    static final JsonObject RESIDUAL_DEFAULTS = new JsonObject()
            .put("student.blocks", "1,1,1")
            .put("student.widths", "16,32,64")
            .put("student.stem-stride", 1)
            .put("student.fsp-epochs", 0)
            .put("student.fsp-lambda", 1.0)
            .put("student.fsp-pairs", "stem:stage1,s2b0_conv1:stage2,s3b0_conv1:stage3")
            .put("student.fsp-permutation-seed", "");

    /** From a service configuration (StudentVerticle.DEFAULTS merged with file and environment). */
    public static StudentSettings fromConfig(JsonObject conf) {
        StudentSpec spec = specFrom(conf);
        return new StudentSettings(spec, Path.of(conf.getString("checkpoint.dir")).resolve(spec.studentId()),
                conf.getInteger("topic.replication.factor"));
    }

    /**
     * The student spec a flat service config describes: the keys every student reads, and those of its architecture.
     * A resnet student reads student.blocks, student.widths and student.stem-stride; with student.fsp-epochs above 0
     * it first runs the FSP stage on student.fsp-pairs ({@code first:second,...}) at student.fsp-lambda,
     * channel-shuffled when student.fsp-permutation-seed is set. A specialist reads student.specialist-classes (its
     * group, e.g. {@code 0,2,4,6}) and student.generalist (the generalist's model file, the teacher of the run it
     * consumes), from the config file only. Any other student is a plain network with student.hidden.
     */
    public static StudentSpec specFrom(JsonObject conf) {
        String architecture = conf.getString("student.architecture");
        JsonObject json;
        if (architecture.equalsIgnoreCase("resnet")) {
            json = residualFields(RESIDUAL_DEFAULTS.copy().mergeIn(conf));
        } else if (architecture.equalsIgnoreCase("specialist")) {
            json = specialistFields(conf);
        } else {
            json = new JsonObject().put("architecture", architecture)
                    .put("hidden", ints(conf.getString("student.hidden")));
        }
        return StudentSpec.fromJson(json.put("studentId", conf.getString("student.id"))
                .put("runId", conf.getString("student.run"))
                .put("temperature", conf.getDouble("student.temperature"))
                .put("alpha", conf.getDouble("student.alpha"))
                .put("epochs", conf.getInteger("student.epochs"))
                .put("batchSize", conf.getInteger("student.batch-size"))
                .put("learningRate", conf.getDouble("student.learning-rate"))
                .put("seed", conf.getLong("student.seed"))
                .put("checkpointEveryBatches", conf.getInteger("student.checkpoint-every")));
    }

    private static JsonObject specialistFields(JsonObject conf) {
        for (String key : new String[]{"student.specialist-classes", "student.generalist"}) {
            if (conf.getString(key, "").isBlank()) {
                throw new IllegalArgumentException("a specialist student needs " + key + " in its config file");
            }
        }
        return new JsonObject().put("architecture", "specialist")
                .put("classes", ints(conf.getString("student.specialist-classes")))
                .put("generalist", conf.getString("student.generalist"));
    }

    private static JsonObject residualFields(JsonObject conf) {
        JsonObject json = new JsonObject().put("architecture", "resnet")
                .put("blocks", ints(conf.getString("student.blocks")))
                .put("widths", ints(conf.getString("student.widths")))
                .put("stemStride", conf.getInteger("student.stem-stride"));
        int fspEpochs = conf.getInteger("student.fsp-epochs");
        if (fspEpochs > 0) {
            JsonArray pairs = new JsonArray();
            for (String pair : conf.getString("student.fsp-pairs").split(",")) {
                String[] ends = pair.trim().split(":");
                if (ends.length != 2) {
                    throw new IllegalArgumentException("student.fsp-pairs must be first:second,... got '" + pair + "'");
                }
                pairs.add(new JsonArray().add(ends[0].trim()).add(ends[1].trim()));
            }
            JsonObject fsp = new JsonObject().put("epochs", fspEpochs)
                    .put("lambda", conf.getDouble("student.fsp-lambda")).put("pairs", pairs);
            String seed = String.valueOf(conf.getValue("student.fsp-permutation-seed", "")).trim();
            if (!seed.isEmpty()) {
                fsp.put("permutationSeed", Long.parseLong(seed));
            }
            json.put("fsp", fsp);
        }
        return json;
    }

    private static JsonArray ints(String csv) {
        return new JsonArray(Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Integer::parseInt).toList());
    }
}
