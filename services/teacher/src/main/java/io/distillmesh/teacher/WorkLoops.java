package io.distillmesh.teacher;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/** This replica's work loops, each on its own daemon thread ({@code teacher-work-<i>}). */
final class WorkLoops {
    private final List<WorkLoop> loops = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** Starts {@code count} loops, the i-th made by {@code loop}. */
    void start(int count, IntFunction<WorkLoop> loop) {
        for (int i = 0; i < count; i++) {
            WorkLoop work = loop.apply(i);
            Thread thread = new Thread(work, "teacher-work-" + i);
            thread.setDaemon(true);
            loops.add(work);
            threads.add(thread);
            thread.start();
        }
    }

    /** Asks every loop to stop after the piece it has in hand. */
    void stop() {
        loops.forEach(WorkLoop::stop);
    }

    /** Waits for each loop's thread to end, at most {@code timeout} each. Blocking. */
    void join(Duration timeout) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(timeout.toMillis());
        }
    }
}
