package io.distillmesh.bench;

import io.distillmesh.messaging.vertx.HugePages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line on the machine a benchmark ran on: CPU, cores, OpenMP settings, Java. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        return cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, OMP_NUM_THREADS="
                + System.getenv("OMP_NUM_THREADS") + ", OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY")
                + ", Java " + Runtime.version() + ", transparent huge pages " + HugePages.ofThisProcess().kernelMode()
                + ", GLIBC_TUNABLES=" + System.getenv("GLIBC_TUNABLES") + ", OPENBLAS_THREAD_TIMEOUT="
                + System.getenv("OPENBLAS_THREAD_TIMEOUT");
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
