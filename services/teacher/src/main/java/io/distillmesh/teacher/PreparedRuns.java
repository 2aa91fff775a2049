package io.distillmesh.teacher;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs this teacher can stream, prepared once each: the ones it was asked for, the ones it took up at start,
 * and those it meets on the work topics (asked of another replica), whose specs it reads from the run records.
 */
final class PreparedRuns {
    private final RunSetup setup;
    private final RunRecords records;
    private final Map<String, PreparedRun> runs = new ConcurrentHashMap<>();

    PreparedRuns(RunSetup setup, RunRecords records) {
        this.setup = setup;
        this.records = records;
    }

    /** Prepares {@code spec}'s run (or answers the one prepared). Blocking. */
    PreparedRun prepare(RunSpec spec) {
        PreparedRun known = runs.get(spec.runId());
        if (known != null) {
            return known;
        }
        PreparedRun run = setup.prepare(spec);
        PreparedRun raced = runs.putIfAbsent(spec.runId(), run);
        return raced == null ? run : raced;
    }

    /** The run {@code runId}, prepared from its run record if this teacher has not met it yet. Blocking. */
    PreparedRun forWork(String runId) {
        PreparedRun known = runs.get(runId);
        if (known != null) {
            return known;
        }
        List<RunSpec> specs = records.load();
        RunSpec spec = specs.stream().filter(s -> s.runId().equals(runId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("run " + runId + " has work but no run record"));
        return prepare(spec);
    }

    /** Partitions of each run's work topic. */
    int partitions() {
        return setup.partitions();
    }

    /** How many pieces the plan of a run this teacher prepared has. */
    int pieces(String runId) {
        PreparedRun run = runs.get(runId);
        if (run == null) {
            throw new IllegalStateException("run " + runId + " is not prepared here");
        }
        return run.plan(partitions()).items().size();
    }

    Optional<PreparedRun> get(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    Collection<PreparedRun> all() {
        return runs.values();
    }
}
