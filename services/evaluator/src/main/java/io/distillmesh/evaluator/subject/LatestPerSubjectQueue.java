package io.distillmesh.evaluator.subject;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluations waiting for the worker, at most one per queue key: a newer subject with the same key (a
 * student's newer checkpoint) replaces the waiting one, which is then superseded and never evaluated. Keys
 * are served in the order they first arrived. Thread-safe: the REST handlers add, the worker takes.
 */
public final class LatestPerSubjectQueue {
    private final Map<String, EvaluationSubject> pending = new LinkedHashMap<>();

    /** Queues {@code subject}; returns the waiting subject it superseded, or null. */
    public synchronized EvaluationSubject offer(EvaluationSubject subject) {
        return pending.put(subject.queueKey(), subject);
    }

    /** The subject waiting longest, or null when none is. */
    public synchronized EvaluationSubject poll() {
        Iterator<EvaluationSubject> it = pending.values().iterator();
        if (!it.hasNext()) {
            return null;
        }
        EvaluationSubject next = it.next();
        it.remove();
        return next;
    }

    public synchronized int size() {
        return pending.size();
    }

    public synchronized boolean isEmpty() {
        return pending.isEmpty();
    }
}
