package io.distillmesh.teacher;

import io.distillmesh.core.train.Pace;
import io.vertx.core.json.JsonObject;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/** Live state of one run, read by REST while the streamer writes it. */
public final class RunStatus {
    public enum State { RUNNING, DONE, FAILED }

    private final RunSpec spec;
    private final long total;
    private final AtomicLong produced = new AtomicLong();
    private final long createdNanos = System.nanoTime();
    private volatile State state = State.RUNNING;
    private volatile String error;
    private final AtomicLong cpu = new AtomicLong();
    private volatile long cpuNanos;
    private volatile long wallNanos;

    public RunStatus(RunSpec spec, long total) {
        this.spec = spec;
        this.total = total;
    }

    public RunSpec spec() {
        return spec;
    }

    public long produced() {
        return produced.get();
    }

    /** The samples the whole run streams (over all epochs). */
    public long total() {
        return total;
    }

    void addProduced(long n) {
        produced.addAndGet(n);
    }

    /** How many samples the teachers sharing the run have streamed so far (never goes back). */
    void producedSoFar(long n) {
        produced.accumulateAndGet(n, Math::max);
    }

    /** CPU time this teacher spent on the run's pieces. */
    void addCpu(long nanos) {
        cpu.addAndGet(nanos);
    }

    /** The run's end is in the stream: done, with the CPU time this teacher spent on it. */
    void ended() {
        if (state == State.RUNNING) {
            produced.set(total);
            finish(cpu.get(), System.nanoTime() - createdNanos);
        }
    }

    public State state() {
        return state;
    }

    void finish(long cpu, long wall) {
        cpuNanos = cpu;
        wallNanos = wall;
        state = State.DONE;
    }

    void fail(Throwable cause) {
        error = String.valueOf(cause.getMessage());
        state = State.FAILED;
    }

    /** Seconds until the run is done at its pace so far; empty when it has finished or not produced yet. */
    public OptionalLong secondsLeft() {
        long done = produced.get();
        if (state != State.RUNNING || done == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of((long) Math.ceil(Pace.secondsLeft((System.nanoTime() - createdNanos) / 1e9, done, total)));
    }

    /** CPU time of the streaming threads of this teacher for the run (inference + encoding + producing). */
    public long cpuNanos() {
        return cpuNanos;
    }

    public long wallNanos() {
        return wallNanos;
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("spec", spec.toJson()).put("state", state.name())
                .put("produced", produced.get()).put("total", total);
        if (state == State.DONE) {
            json.put("cpuSeconds", cpuNanos / 1e9).put("wallSeconds", wallNanos / 1e9)
                    .put("samplesPerSecond", total / (wallNanos / 1e9));
        }
        return error == null ? json : json.put("error", error);
    }
}
