package io.distillmesh.teacher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The runs the teacher holds. A run is taken while fewer than {@code runs.concurrency} runs are being set up or
 * streamed (else {@link RunsBusyException}); it is set up on a worker and then streams on its own thread, so runs
 * stream side by side and none waits for another. A run id names one spec: asking again with the same spec answers
 * that run, with another spec is a {@link RunConflictException}. A run whose set-up failed is forgotten, so it
 * can be asked for again.
 */
final class TeacherRuns {
    static final String CONCURRENCY_KEY = "runs.concurrency";
    private static final long UNKNOWN_RETRY_AFTER_SECONDS = 10;
    private final Vertx vertx;
    private final int concurrency;
    private final RunSetup setup;
    private final RunRecords records;
    private final WorkerExecutor streamers;
    // admission state: read and changed on the verticle's event loop only
    private final Map<String, Accepted> accepted = new HashMap<>();
    private final Set<String> active = new LinkedHashSet<>();
    private final Set<Future<Void>> streams = new HashSet<>();
    private final Map<String, RunStatus> started = new ConcurrentHashMap<>();

    /** The outcome of asking for a run: its status, and whether this request created it. */
    record Admission(RunStatus status, boolean created) {
    }

    private record Accepted(RunSpec spec, Future<RunStatus> started) {
    }

    TeacherRuns(Vertx vertx, int concurrency, RunSetup setup, RunRecords records) {
        this.records = records;
        this.vertx = vertx;
        this.concurrency = concurrency;
        this.setup = setup;
        this.streamers = vertx.createSharedWorkerExecutor("teacher-runs", concurrency, 7, TimeUnit.DAYS);
    }

    /** How many runs may stream at once, from a service config; at least 1. */
    static int concurrency(JsonObject conf) {
        int concurrency = conf.getInteger(CONCURRENCY_KEY);
        if (concurrency < 1) {
            throw new IllegalArgumentException(CONCURRENCY_KEY + " must be at least 1, got " + concurrency);
        }
        return concurrency;
    }

    /** Takes a run, or answers the run already taken under its id; completes once it streams. */
    Future<Admission> admit(RunSpec spec) {
        String id = spec.runId();
        Accepted earlier = accepted.get(id);
        if (earlier != null) {
            return retry(earlier, spec);
        }
        if (active.size() >= concurrency) {
            return Future.failedFuture(busy());
        }
        active.add(id);
        Future<RunStatus> status = vertx.executeBlocking(() -> {
                    TeacherRunStreamer streamer = setup.prepare(spec);
                    records.save(spec);
                    return streamer;
                }, false)
                .map(this::stream)
                .onFailure(e -> {
                    accepted.remove(id);
                    active.remove(id);
                });
        accepted.put(id, new Accepted(spec, status));
        return status.map(s -> new Admission(s, true));
    }

    private Future<Admission> retry(Accepted earlier, RunSpec spec) {
        if (!earlier.spec().equals(spec)) {
            return Future.failedFuture(new RunConflictException("run '" + spec.runId() + "' already exists with"
                    + " another spec (the run's vs this one: " + String.join(", ", earlier.spec().differencesTo(spec))
                    + "); choose another run id"));
        }
        return earlier.started().map(s -> new Admission(s, false));
    }

    private RunStatus stream(TeacherRunStreamer streamer) {
        RunStatus status = streamer.status();
        String id = status.spec().runId();
        started.put(id, status);
        Future<Void> done = streamers.executeBlocking(() -> {
            streamer.run();
            return null;
        }, false);
        streams.add(done);
        done.onFailure(status::fail).onComplete(r -> {
            streams.remove(done);
            active.remove(id);
        });
        return status;
    }

    private RunsBusyException busy() {
        long retryAfter = active.stream().map(started::get).filter(Objects::nonNull).map(RunStatus::secondsLeft)
                .filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).min()
                .orElse(UNKNOWN_RETRY_AFTER_SECONDS);
        return new RunsBusyException("the teacher streams at most " + concurrency + " runs at once ("
                + CONCURRENCY_KEY + ") and is busy with " + String.join(", ", active) + "; try again later",
                Math.max(1, retryAfter));
    }

    Optional<RunStatus> get(String runId) {
        return Optional.ofNullable(started.get(runId));
    }

    Collection<RunStatus> all() {
        return started.values();
    }

    /** Completes when every run streaming now has ended. */
    Future<Void> streamsEnded() {
        return Future.join(new ArrayList<>(streams)).mapEmpty();
    }

    Future<Void> close() {
        return streamers.close();
    }
}
