package io.distillmesh.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * CPU time of the JVM's threads grouped by name (the Kafka producer's I/O thread, the broker's threads, the
 * teacher's inference thread), so that a benchmark can say where an arm's CPU went. Threads the JVM does not know
 * (OpenMP workers of the native kernels) and its own GC and JIT threads show as what the process used beyond them.
 */
final class ThreadGroupCpu {
    private final Function<String, String> groupOf;
    private final Map<Long, Long> start = new TreeMap<>();
    private final long processStart;

    private ThreadGroupCpu(Function<String, String> groupOf) {
        this.groupOf = groupOf;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (long id : threads.getAllThreadIds()) {
            start.put(id, Math.max(0, threads.getThreadCpuTime(id)));
        }
        this.processStart = processCpuNanos();
    }

    static ThreadGroupCpu start(Function<String, String> groupOf) {
        return new ThreadGroupCpu(groupOf);
    }

    /** CPU seconds per group since {@link #start}, plus "other" for what the process used beyond its Java threads. */
    Map<String, Double> seconds() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Double> out = new LinkedHashMap<>();
        double counted = 0;
        for (long id : threads.getAllThreadIds()) {
            ThreadInfo info = threads.getThreadInfo(id);
            long now = threads.getThreadCpuTime(id);
            if (info == null || now < 0) {
                continue;
            }
            double s = (now - start.getOrDefault(id, 0L)) / 1e9;
            out.merge(groupOf.apply(info.getThreadName()), s, Double::sum);
            counted += s;
        }
        out.put("other (GC, JIT, native workers, ended threads)", (processCpuNanos() - processStart) / 1e9 - counted);
        return out;
    }

    String summary() {
        StringBuilder s = new StringBuilder();
        seconds().forEach((group, cpu) -> {
            if (cpu >= 0.005) {
                s.append(String.format("%s %.2f s, ", group, cpu));
            }
        });
        return s.length() == 0 ? "" : s.substring(0, s.length() - 2);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
