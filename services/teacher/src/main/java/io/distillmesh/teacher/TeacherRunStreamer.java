package io.distillmesh.teacher;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.fsp.ResidualTeacher;
import io.distillmesh.core.model.TeacherModel;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams a whole run from this thread, piece after piece in the run's order, through a plain producer: for a
 * teacher in the same process as its students (tests, benchmarks). The service shares a run between its replicas
 * through the run's work topic instead ({@link WorkLoop}).
 */
public final class TeacherRunStreamer implements Runnable {
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

    @Override
    public void run() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        AtomicReference<Exception> sendError = new AtomicReference<>();
        Callback onError = (meta, e) -> {
            if (e != null) {
                sendError.compareAndSet(null, e);
            }
        };
        try {
            for (WorkItem item : run.plan(1).items()) {
                int sent = run.send(item, producer, onError);
                throwIfFailed(sendError);
                run.status().addProduced(sent);
            }
            producer.flush();
            throwIfFailed(sendError);
            run.status().finish(threads.getCurrentThreadCpuTime() - cpuStart, System.nanoTime() - wallStart);
        } catch (Exception e) {
            run.status().fail(e);
        }
    }

    private static void throwIfFailed(AtomicReference<Exception> error) {
        Exception e = error.get();
        if (e != null) {
            throw new IllegalStateException("sending to Kafka failed: " + e.getMessage(), e);
        }
    }
}
