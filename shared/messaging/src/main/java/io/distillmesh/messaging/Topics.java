package io.distillmesh.messaging;

import java.util.regex.Pattern;

/** Topic names of the mesh. */
public final class Topics {
    public static final String DEAD_LETTERS = "dm.dlq";
    public static final String CHECKPOINTS = "dm.checkpoints";
    /** Finished distilled sets ({@link io.distillmesh.messaging.records.DistilledSetRecord}), keyed by job id, compacted. */
    public static final String DISTILLED = "dm.distilled";
    /** Distillation job progress ({@link io.distillmesh.messaging.records.DistillProgressRecord}), keyed by job id. */
    public static final String DISTILL_PROGRESS = "dm.distill.progress";
    /** The runs a teacher has taken: each run's spec as JSON, keyed by run id, compacted; a restarted teacher resumes them. */
    public static final String RUNS = "dm.runs";
    /** Every run's work topic. */
    public static final Pattern WORK_TOPICS = Pattern.compile("dm\\.teacher-work\\.[a-zA-Z0-9._-]{1,100}");
    private static final String WORK_PREFIX = "dm.teacher-work.";
    private static final String SOFT_TARGETS_PREFIX = "dm.soft-targets.";
    private static final String FSP_TARGETS_PREFIX = "dm.fsp-targets.";
    private static final Pattern RUN_ID = Pattern.compile("[a-zA-Z0-9._-]{1,100}");

    private Topics() {
    }

    public static String softTargets(String runId) {
        return SOFT_TARGETS_PREFIX + requireValidRunId(runId);
    }

    /**
     * A run's teacher FSP matrices ({@link io.distillmesh.messaging.records.FspRecordCodec}): like the soft-target
     * topic, one partition and unlimited retention, so it is the cache a late student replays.
     */
    public static String fsp(String runId) {
        return FSP_TARGETS_PREFIX + requireValidRunId(runId);
    }

    /**
     * A run's work topic: the run cut into batches, spread over its partitions, which the teacher replicas share
     * through one consumer group.
     */
    public static String work(String runId) {
        return WORK_PREFIX + requireValidRunId(runId);
    }

    /** The run a work topic belongs to. */
    public static String runOfWork(String workTopic) {
        if (!WORK_TOPICS.matcher(workTopic).matches()) {
            throw new IllegalArgumentException("not a work topic: " + workTopic);
        }
        return workTopic.substring(WORK_PREFIX.length());
    }

    public static String requireValidRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id must be 1-100 characters of [a-zA-Z0-9._-], got " + runId);
        }
        return runId;
    }
}
