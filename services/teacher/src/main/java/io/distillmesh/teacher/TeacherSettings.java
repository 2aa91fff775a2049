package io.distillmesh.teacher;

import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * The teacher's own settings from its configuration, checked at start: where its models are and which one a run
 * gets by default, where the data sets are, the replication factor of the topics it creates, how many runs it takes
 * at once ({@code runs.concurrency}), how many work loops can share one run ({@code runs.work.partitions}) and how
 * many run here ({@code teacher.workers}), this replica's name ({@code teacher.instance}, blank for the host name)
 * and how long a crashed replica's open piece can hold the students ({@code teacher.transaction.timeout.ms}).
 */
public record TeacherSettings(Path modelsDir, String defaultModel, String dataDir, int replicationFactor, int concurrency,
                       int partitions, int workers, String instance, int transactionTimeoutMs) {

    public TeacherSettings {
        atLeastOne(TeacherRuns.CONCURRENCY_KEY, concurrency);
        atLeastOne("runs.work.partitions", partitions);
        atLeastOne("teacher.workers", workers);
    }

    /** From a service configuration (TeacherVerticle.DEFAULTS merged with file and environment). */
    public static TeacherSettings fromConfig(JsonObject conf) {
        return new TeacherSettings(Path.of(conf.getString("models.dir")), conf.getString("teacher.model"),
                conf.getString("data.dir"), conf.getInteger("topic.replication.factor"),
                conf.getInteger(TeacherRuns.CONCURRENCY_KEY), conf.getInteger("runs.work.partitions"),
                conf.getInteger("teacher.workers"), conf.getString("teacher.instance"),
                conf.getInteger("teacher.transaction.timeout.ms"));
    }

    /**
     * This replica's name, unique among the live replicas and kept across restarts: {@code teacher.instance}, else
     * the host name. Blocking: it may ask the resolver.
     */
    String replicaName() {
        if (!instance.isBlank()) {
            return instance;
        }
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("teacher.instance is not set and the host has no name", e);
        }
    }

    private static void atLeastOne(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got " + value);
        }
    }
}
