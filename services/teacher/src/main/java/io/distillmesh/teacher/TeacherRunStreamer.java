package io.distillmesh.teacher;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.NetworkLogits;
import io.distillmesh.core.fsp.ResidualTeacher;
import io.distillmesh.core.model.TeacherModel;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams a whole run, piece after piece in the run's order, through a plain producer (pieces inferred ahead
 * while one is sent): for a teacher in the same process as its students (tests, benchmarks). The service shares a
 * run between its replicas through the run's work topic instead ({@link WorkLoop}).
 */
public final class TeacherRunStreamer implements Runnable {
    /** Pieces inferred ahead of the one being sent, so that a slow send (a GC, the broker) does not idle inference. */
    private static final int PIECES_AHEAD = 2;
    private final PreparedRun run;
    private final Producer<String, byte[]> producer;

    public TeacherRunStreamer(TeacherModel teacher, LabelledImages data, RunStatus status,
                              Producer<String, byte[]> producer, MeterRegistry registry) {
        this(new PreparedRun(status.spec(), TeacherNetwork.plain(teacher), data, status, registry), producer);
    }

    /** A run from a residual teacher, which can also stream FSP matrices. */
    public TeacherRunStreamer(ResidualTeacher teacher, LabelledImages data, RunStatus status,
                              Producer<String, byte[]> producer, MeterRegistry registry) {
        this(new PreparedRun(status.spec(), TeacherNetwork.residual(teacher), data, status, registry), producer);
    }

    private TeacherRunStreamer(PreparedRun run, Producer<String, byte[]> producer) {
        this.run = run;
        this.producer = producer;
    }

    public RunStatus status() {
        return run.status();
    }

    /**
     * Computes the pieces' outputs on a second thread, up to {@link #PIECES_AHEAD} ahead of the piece this one
     * encodes and sends, so that inference and sending overlap instead of taking turns; the CPU time it reports is
     * both threads'.
     */
    @Override
    public void run() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        AtomicLong inferenceCpu = new AtomicLong();
        AtomicReference<Exception> sendError = new AtomicReference<>();
        Callback onError = (meta, e) -> {
            if (e != null) {
                sendError.compareAndSet(null, e);
            }
        };
        ExecutorService ahead = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "teacher-inference-" + run.spec().runId());
            t.setDaemon(true);
            return t;
        });
        try {
            List<WorkItem> items = run.plan(1).items();
            Deque<Future<PreparedRun.InferredPiece>> inferred = new ArrayDeque<>();
            for (int i = 0; i < Math.min(PIECES_AHEAD, items.size()); i++) {
                WorkItem item = items.get(i);
                inferred.add(ahead.submit(() -> inferTimed(item, inferenceCpu)));
            }
            for (int i = 0; i < items.size(); i++) {
                PreparedRun.InferredPiece piece = resultOf(inferred.poll());
                if (i + PIECES_AHEAD < items.size()) {
                    WorkItem following = items.get(i + PIECES_AHEAD);
                    inferred.add(ahead.submit(() -> inferTimed(following, inferenceCpu)));
                }
                int sent = run.send(piece, producer, onError);
                throwIfFailed(sendError);
                run.status().addProduced(sent);
                run.countStreamed(sent);
            }
            producer.flush();
            throwIfFailed(sendError);
            long cpu = threads.getCurrentThreadCpuTime() - cpuStart + inferenceCpu.get();
            run.status().finish(cpu, System.nanoTime() - wallStart);
        } catch (Exception e) {
            run.status().fail(e);
        } finally {
            ahead.execute(NetworkLogits::releaseBuffers);
            ahead.shutdown();
        }
    }

    private PreparedRun.InferredPiece inferTimed(WorkItem item, AtomicLong cpu) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        try {
            return run.infer(item);
        } finally {
            cpu.addAndGet(threads.getCurrentThreadCpuTime() - start);
        }
    }

    private static PreparedRun.InferredPiece resultOf(Future<PreparedRun.InferredPiece> piece) throws Exception {
        try {
            return piece.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void throwIfFailed(AtomicReference<Exception> error) {
        Exception e = error.get();
        if (e != null) {
            throw new IllegalStateException("sending to Kafka failed: " + e.getMessage(), e);
        }
    }
}
