package io.distillmesh.distiller;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * The distiller's own settings from its configuration, checked at start: how many jobs run at once, the
 * memory a job's unrolled trajectory may take, the least time between two iteration progress records of a
 * job, and where pretrained models are read and artifacts written.
 */
public record DistillerSettings(int concurrency, long memoryBudgetBytes, long progressIntervalMillis, Path modelsDir,
                                Path artifactsDir) {
    private static final long MIB = 1024 * 1024;

    public DistillerSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("jobs.concurrency must be at least 1, got " + concurrency);
        }
        if (memoryBudgetBytes < MIB) {
            throw new IllegalArgumentException("jobs.memory-budget-mb must be at least 1, got " + memoryBudgetBytes / MIB);
        }
        if (progressIntervalMillis < 0) {
            throw new IllegalArgumentException("progress.interval-ms must be >= 0, got " + progressIntervalMillis);
        }
    }

    /** From a service configuration (DistillerVerticle.DEFAULTS merged with file and environment). */
    public static DistillerSettings fromConfig(JsonObject conf) {
        return new DistillerSettings(conf.getInteger("jobs.concurrency"), conf.getLong("jobs.memory-budget-mb") * MIB,
                conf.getLong("progress.interval-ms"), Path.of(conf.getString("models.dir")),
                Path.of(conf.getString("artifacts.dir")).toAbsolutePath());
    }
}
