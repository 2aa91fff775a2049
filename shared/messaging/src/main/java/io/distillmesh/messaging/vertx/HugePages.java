package io.distillmesh.messaging.vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Whether libnd4j's buffers (glibc malloc) land on transparent huge pages: the kernel gives them to every large
 * mapping when its THP mode is {@code always}, and only on request when it is {@code madvise} — glibc requests them
 * when {@code GLIBC_TUNABLES} holds {@code glibc.malloc.hugetlb=1} (glibc 2.35+). Without them each of libnd4j's
 * per-pass allocations faults in 4 KiB pages and training passes run about 3× slower.
 */
public record HugePages(String kernelMode, String tunables) {
    static final Path KERNEL_SETTING = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    static final String TUNABLE = "glibc.malloc.hugetlb=1";
    private static final AtomicBoolean ADVISED = new AtomicBoolean();

    /** This process's: the kernel's mode ("unknown" where it cannot be read) and its GLIBC_TUNABLES. */
    public static HugePages ofThisProcess() {
        return of(KERNEL_SETTING, System.getenv());
    }

    static HugePages of(Path kernelSetting, Map<String, String> env) {
        String mode;
        try {
            mode = selected(Files.readString(kernelSetting));
        } catch (IOException | RuntimeException e) {
            mode = "unknown";
        }
        return new HugePages(mode, env.getOrDefault("GLIBC_TUNABLES", ""));
    }

    /** Logs this process's {@link #advice()} as a warning, once per process (several services may share one). */
    public static void adviseOnce() {
        String advice = ofThisProcess().advice();
        if (advice != null && ADVISED.compareAndSet(false, true)) {
            LoggerFactory.getLogger(HugePages.class).warn(advice);
        }
    }

    /** The bracketed choice of e.g. {@code always [madvise] never}. */
    static String selected(String setting) {
        int open = setting.indexOf('[');
        int close = setting.indexOf(']', open + 1);
        return open < 0 || close < 0 ? "unknown" : setting.substring(open + 1, close);
    }

    public boolean used() {
        boolean requested = Arrays.stream(tunables.split(":")).anyMatch(t -> t.trim().equals(TUNABLE));
        return kernelMode.equals("always") || (kernelMode.equals("madvise") && requested);
    }

    /** What to tell the operator, or null when nothing is to be done (in use, or the kernel has none to give). */
    public String advice() {
        if (used() || !kernelMode.equals("madvise")) {
            return null;
        }
        return "transparent huge pages are given on request only (madvise) and GLIBC_TUNABLES lacks " + TUNABLE
                + ": ND4J's buffers use 4 KiB pages and training runs about 3x slower; set GLIBC_TUNABLES=" + TUNABLE
                + " in this process's environment (bin/distill-mesh and the images do)";
    }
}
