package io.distillmesh.core.engine;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the engine's own Java loops over independent items (the channels of a batch normalisation) on as many
 * threads as ND4J may use (its environment's maximum, which {@code OMP_NUM_THREADS} sets): the items split into
 * contiguous ranges, the caller runs the first, daemon worker threads the others. Small loops run on the caller
 * alone, where handing work over would cost more than it saves.
 */
final class ParallelRanges {
    /** Values a range should hold at least before another thread is worth waking. */
    static final long MIN_VALUES_PER_RANGE = 32_768;
    private static final ThreadPoolExecutor WORKERS = workers();

    /** The loop body over items {@code [from, to)}. */
    interface Body {
        void run(int from, int to);
    }

    private ParallelRanges() {
    }

    /** Runs {@code body} over items {@code [0, items)}, each holding {@code valuesPerItem} values, and waits for all. */
    static void run(int items, long valuesPerItem, Body body) {
        int ranges = ranges(items, valuesPerItem, Nd4j.getEnvironment().maxThreads());
        if (ranges <= 1) {
            body.run(0, items);
            return;
        }
        Future<?>[] others = new Future<?>[ranges - 1];
        for (int r = 1; r < ranges; r++) {
            int from = start(items, ranges, r);
            int to = start(items, ranges, r + 1);
            others[r - 1] = WORKERS.submit(() -> body.run(from, to));
        }
        RuntimeException failure = null;
        try {
            body.run(0, start(items, ranges, 1));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> other : others) {
            failure = await(other, failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** How many ranges: at most one per thread and per item, none smaller than {@link #MIN_VALUES_PER_RANGE}. */
    static int ranges(int items, long valuesPerItem, int threads) {
        long byWork = Math.max(1, (long) items * valuesPerItem / MIN_VALUES_PER_RANGE);
        return (int) Math.max(1, Math.min(Math.min(threads, items), byWork));
    }

    private static int start(int items, int ranges, int r) {
        return (int) ((long) items * r / ranges);
    }

    private static RuntimeException await(Future<?> other, RuntimeException failure) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    other.get();
                    return failure;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    RuntimeException thrown = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException(e.getCause());
                    if (failure == null) {
                        return thrown;
                    }
                    failure.addSuppressed(thrown);
                    return failure;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ThreadPoolExecutor workers() {
        AtomicInteger count = new AtomicInteger();
        int size = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "engine-loop-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
