package io.distillmesh.teacher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The runs this teacher took. Taking a run (on a worker) prepares it, saves its spec to the run records and
 * publishes its plan to its work topic; from there the teachers' work loops stream it, whichever replicas they run
 * in. A run is taken while fewer than {@code runs.concurrency} runs taken here are being set up or streaming (else
 * {@link RunsBusyException}). A run id names one spec: asking again with the same spec answers that run, with
 * another spec is a {@link RunConflictException}. A run whose set-up failed is forgotten, so it can be asked for
 * again. How far each run got is polled from Kafka ({@link RunCommits}), so it counts every replica's work.
 */
final class TeacherRuns {
    static final String CONCURRENCY_KEY = "runs.concurrency";
    private static final long UNKNOWN_RETRY_AFTER_SECONDS = 10;
    private final Vertx vertx;
    private final int concurrency;
    private final PreparedRuns prepared;
    private final RunRecords records;
    private final WorkPlanPublisher plans;
    private final RunCommits commits;
    // admission state: read and changed on the verticle's event loop only
    private final Map<String, Accepted> accepted = new HashMap<>();
    private final Set<String> settingUp = new LinkedHashSet<>();
    private final Map<String, RunStatus> started = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    /** The outcome of asking for a run: its status, and whether this request created it. */
    record Admission(RunStatus status, boolean created) {
    }

    private record Accepted(RunSpec spec, Future<RunStatus> started) {
    }

    TeacherRuns(Vertx vertx, int concurrency, PreparedRuns prepared, RunRecords records, WorkPlanPublisher plans,
                RunCommits commits) {
        this.vertx = vertx;
        this.concurrency = concurrency;
        this.prepared = prepared;
        this.records = records;
        this.plans = plans;
        this.commits = commits;
    }

    /** Takes a run, or answers the run already taken under its id; completes once its work is out. */
    Future<Admission> admit(RunSpec spec) {
        String id = spec.runId();
        Accepted earlier = accepted.get(id);
        if (earlier != null) {
            return retry(earlier, spec);
        }
        if (streaming().size() + settingUp.size() >= concurrency) {
            return Future.failedFuture(busy());
        }
        settingUp.add(id);
        Future<RunStatus> status = vertx.executeBlocking(() -> takeUp(spec), false)
                .onComplete(r -> settingUp.remove(id))
                .onSuccess(s -> started.put(id, s))
                .onFailure(e -> accepted.remove(id));
        accepted.put(id, new Accepted(spec, status));
        return status.map(s -> new Admission(s, true));
    }

    /**
     * Takes up every run taken before this start, by this teacher or another, one after the other; a run that cannot
     * be taken up is left with a line on stderr. Their work needs nothing from here: the work loops go on with it.
     */
    Future<Void> resumeAll(List<RunSpec> specs) {
        Future<Void> chain = Future.succeededFuture();
        for (RunSpec spec : specs) {
            chain = chain.compose(v -> resume(spec)
                    .onSuccess(s -> System.out.println("teacher: run " + spec.runId() + " taken up again"))
                    .<Void>mapEmpty()
                    .recover(e -> {
                        System.err.println("teacher: run " + spec.runId() + " not taken up again: " + e.getMessage());
                        return Future.succeededFuture();
                    }));
        }
        return chain;
    }

    /**
     * Takes up a run taken before this start (by this teacher or another): it counts as taken here, without a
     * slot check, since its work is out already (its plan is published again if a crash cut that short).
     */
    private Future<RunStatus> resume(RunSpec spec) {
        Future<RunStatus> status = vertx.executeBlocking(() -> {
            PreparedRun run = prepared.prepare(spec);
            plans.publish(spec.runId(), run.plan(prepared.partitions()));
            refresh(run.status());
            return run.status();
        }, false).onSuccess(s -> started.put(spec.runId(), s));
        accepted.put(spec.runId(), new Accepted(spec, status));
        return status;
    }

    private RunStatus takeUp(RunSpec spec) {
        PreparedRun run = prepared.prepare(spec);
        records.save(spec);
        plans.publish(spec.runId(), run.plan(prepared.partitions()));
        return run.status();
    }

    private Future<Admission> retry(Accepted earlier, RunSpec spec) {
        if (!earlier.spec().equals(spec)) {
            return Future.failedFuture(new RunConflictException("run '" + spec.runId() + "' already exists with"
                    + " another spec (the run's vs this one: " + String.join(", ", earlier.spec().differencesTo(spec))
                    + "); choose another run id"));
        }
        return earlier.started().map(s -> new Admission(s, false));
    }

    private List<RunStatus> streaming() {
        return started.values().stream().filter(s -> s.state() == RunStatus.State.RUNNING).toList();
    }

    private RunsBusyException busy() {
        List<RunStatus> streaming = streaming();
        long retryAfter = streaming.stream().map(RunStatus::secondsLeft)
                .filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).min()
                .orElse(UNKNOWN_RETRY_AFTER_SECONDS);
        List<String> busyWith = new ArrayList<>(streaming.stream().map(s -> s.spec().runId()).toList());
        busyWith.addAll(settingUp);
        return new RunsBusyException("the teacher streams at most " + concurrency + " runs at once ("
                + CONCURRENCY_KEY + ") and is busy with " + String.join(", ", busyWith) + "; try again later",
                Math.max(1, retryAfter));
    }

    /** Brings every streaming run's progress up to date from Kafka, on a worker, unless the last poll is still on. */
    void pollProgress() {
        if (refreshing.compareAndSet(false, true)) {
            vertx.executeBlocking(() -> {
                streaming().forEach(this::refresh);
                return null;
            }, false).onComplete(r -> refreshing.set(false));
        }
    }

    private void refresh(RunStatus status) {
        String id = status.spec().runId();
        try {
            commits.progress(id).ifPresent(p -> {
                status.producedSoFar(p.samples());
                if (p.ended()) {
                    status.ended();
                }
            });
        } catch (RuntimeException e) {
            System.err.println("teacher: cannot read the progress of run " + id + ": " + e.getMessage());
        }
    }

    Optional<RunStatus> get(String runId) {
        return Optional.ofNullable(started.get(runId));
    }

    Collection<RunStatus> all() {
        return started.values();
    }
}
