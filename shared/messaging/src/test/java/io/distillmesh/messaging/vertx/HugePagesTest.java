package io.distillmesh.messaging.vertx;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When ND4J's buffers get transparent huge pages, from the kernel's setting and the process's GLIBC_TUNABLES. */
class HugePagesTest {
    @Test
    void theKernelsModeAndTheTunableDecide(@TempDir Path dir) throws Exception {
        Path setting = dir.resolve("enabled");
        Files.writeString(setting, "always madvise [never]\n");
        assertEquals("never", HugePages.of(setting, Map.of()).kernelMode());
        assertFalse(HugePages.of(setting, Map.of("GLIBC_TUNABLES", HugePages.TUNABLE)).used());
        assertNull(HugePages.of(setting, Map.of()).advice(), "nothing to gain where the kernel gives none");

        Files.writeString(setting, "[always] madvise never\n");
        assertTrue(HugePages.of(setting, Map.of()).used());

        Files.writeString(setting, "always [madvise] never\n");
        HugePages without = HugePages.of(setting, Map.of());
        assertFalse(without.used());
        assertTrue(without.advice().contains("GLIBC_TUNABLES=glibc.malloc.hugetlb=1"), without.advice());
        assertTrue(HugePages.of(setting, Map.of("GLIBC_TUNABLES",
                "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1")).used());
        assertFalse(HugePages.of(setting, Map.of("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0")).used());

        assertEquals("unknown", HugePages.of(dir.resolve("absent"), Map.of()).kernelMode());
        assertNull(HugePages.of(dir.resolve("absent"), Map.of()).advice());
    }

    @Test
    void servicesExposeItAsAGauge() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new NativeMemoryMetrics().bindTo(registry);
        HugePages here = HugePages.ofThisProcess();
        String line = registry.scrape().lines().filter(l -> l.startsWith("dm_native_huge_pages{")).findFirst()
                .orElseThrow();
        assertTrue(line.contains("kernel=\"" + here.kernelMode() + "\""), line);
        assertEquals(here.used() ? 1.0 : 0.0, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
    }
}
