package io.distillmesh.standalone;

import io.vertx.core.Handler;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * Takes the place of Vert.x's blocked-thread warning and keeps every report, with where the thread was when it was
 * reported. The checker reports a thread again at each look for as long as it stays blocked.
 */
final class BlockedThreadReports implements Handler<BlockedThreadEvent> {
    private static final int FRAMES = 12;
    private final ConcurrentLinkedQueue<Hold> holds = new ConcurrentLinkedQueue<>();

    /** A thread held by one task for {@code millis} so far. */
    record Hold(String thread, long millis, String where) {
        @Override
        public String toString() {
            return "Thread " + thread + " has been blocked for " + millis + " ms, at\n\t" + where;
        }
    }

    @Override
    public void handle(BlockedThreadEvent event) {
        holds.add(new Hold(event.thread().getName(), event.duration() / 1_000_000,
                Arrays.stream(event.thread().getStackTrace()).limit(FRAMES).map(String::valueOf)
                        .collect(Collectors.joining("\n\t"))));
    }

    Optional<Hold> longest() {
        return holds.stream().max(Comparator.comparingLong(Hold::millis));
    }

    List<Hold> atLeast(long millis) {
        return holds.stream().filter(h -> h.millis() >= millis).toList();
    }
}
