package io.distillmesh.messaging.vertx;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Whether OpenBLAS's idle threads give their core back. The OpenBLAS that ND4J loads (pthreads) keeps each worker
 * spinning on {@code sched_yield} for 2^28 cycles (about 0.1 s) after every threaded product unless
 * {@code OPENBLAS_THREAD_TIMEOUT} shortens it; a step with a dense layer then holds a second core busy for nothing,
 * which oneDNN's threads, Kafka's clients and the broker needed (measured: the CNN's training step at two threads
 * 6.7k → 8.3k samples/s, the teacher's in-process inference 4.0 → 2.6 CPU-s for 60,000 images).
 */
public record BlasThreadTimeout(String timeout, int threads) {
    static final String VARIABLE = "OPENBLAS_THREAD_TIMEOUT";
    /** 2^4 cycles: a worker sleeps as soon as its part is done; waking it costs a futex call. */
    static final String RECOMMENDED = "4";
    private static final AtomicBoolean ADVISED = new AtomicBoolean();

    public static BlasThreadTimeout ofThisProcess() {
        return of(System.getenv(), Runtime.getRuntime().availableProcessors());
    }

    /** OpenBLAS's thread count as ND4J sets it: OPENBLAS_NUM_THREADS, else OMP_NUM_THREADS, else the cores. */
    static BlasThreadTimeout of(Map<String, String> env, int cores) {
        String threads = env.getOrDefault("OPENBLAS_NUM_THREADS", env.get("OMP_NUM_THREADS"));
        int n;
        try {
            n = threads == null ? cores : Integer.parseInt(threads.trim());
        } catch (NumberFormatException e) {
            n = cores;
        }
        return new BlasThreadTimeout(env.getOrDefault(VARIABLE, ""), n);
    }

    public static void adviseOnce() {
        String advice = ofThisProcess().advice();
        if (advice != null && ADVISED.compareAndSet(false, true)) {
            LoggerFactory.getLogger(BlasThreadTimeout.class).warn(advice);
        }
    }

    /** What to tell the operator, or null when nothing is to be done (one thread, or a timeout is set). */
    public String advice() {
        if (threads <= 1 || !timeout.isBlank()) {
            return null;
        }
        return VARIABLE + " is not set: OpenBLAS's " + threads + " threads spin for about 0.1 s after every product,"
                + " taking cores from oneDNN, Kafka and the broker; set " + VARIABLE + "=" + RECOMMENDED
                + " in this process's environment (bin/distill-mesh and the images do)";
    }
}
