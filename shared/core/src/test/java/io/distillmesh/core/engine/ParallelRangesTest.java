package io.distillmesh.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ParallelRangesTest {

    @Test
    void smallLoopsStayOnOneThreadAndLargeOnesSplitAtMostOncePerThreadAndItem() {
        assertEquals(1, ParallelRanges.ranges(16, 100, 2));
        assertEquals(2, ParallelRanges.ranges(16, 784 * 64, 2));
        assertEquals(1, ParallelRanges.ranges(16, 784 * 64, 1));
        assertEquals(3, ParallelRanges.ranges(3, 1_000_000, 8));
        assertEquals(1, ParallelRanges.ranges(0, 1_000_000, 8));
    }

    @Test
    void everyItemIsVisitedExactlyOnceAcrossTheThreads() {
        int previous = Nd4j.getEnvironment().maxThreads();
        Nd4j.getEnvironment().setMaxThreads(2);
        try {
            AtomicIntegerArray visits = new AtomicIntegerArray(101);
            Set<String> threads = ConcurrentHashMap.newKeySet();
            ParallelRanges.run(101, ParallelRanges.MIN_VALUES_PER_RANGE, (from, to) -> {
                threads.add(Thread.currentThread().getName());
                for (int i = from; i < to; i++) {
                    visits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < visits.length(); i++) {
                assertEquals(1, visits.get(i), "item " + i);
            }
            assertEquals(2, threads.size(), "the caller and one worker: " + threads);
        } finally {
            Nd4j.getEnvironment().setMaxThreads(previous);
        }
    }

    @Test
    void aFailureOnAWorkerReachesTheCaller() {
        int previous = Nd4j.getEnvironment().maxThreads();
        Nd4j.getEnvironment().setMaxThreads(2);
        try {
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> ParallelRanges.run(10, ParallelRanges.MIN_VALUES_PER_RANGE, (from, to) -> {
                        if (from > 0) {
                            throw new IllegalStateException("range " + from + "-" + to);
                        }
                    }));
            assertEquals("range 5-10", thrown.getMessage());
        } finally {
            Nd4j.getEnvironment().setMaxThreads(previous);
        }
    }
}
