package io.distillmesh.core.train;

import java.lang.management.ManagementFactory;

/** What a timing printed on the console ran under: the OpenMP threads, the cores and the load of the machine. */
public final class TimingConditions {
    private TimingConditions() {
    }

    /** {@code OMP_NUM_THREADS=…, N cores visible, load average L}. */
    public static String describe() {
        return String.format("OMP_NUM_THREADS=%s, %d cores visible, load average %.2f", System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
