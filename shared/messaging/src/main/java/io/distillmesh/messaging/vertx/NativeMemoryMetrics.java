package io.distillmesh.messaging.vertx;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.bytedeco.javacpp.Pointer;

/**
 * Off-heap memory of ND4J: what JavaCPP has allocated for tensors (outside the JVM heap, so invisible to
 * the jvm_memory_* families), its configured limit, the process's physical memory as JavaCPP sees it, and whether
 * those buffers can use transparent huge pages ({@link HugePages}).
 */
public final class NativeMemoryMetrics implements MeterBinder {
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("dm.native.memory", Pointer::totalBytes).baseUnit("bytes")
                .description("off-heap bytes allocated through JavaCPP (ND4J tensors)").register(registry);
        Gauge.builder("dm.native.memory.limit", Pointer::maxBytes).baseUnit("bytes")
                .description("JavaCPP's off-heap limit (org.bytedeco.javacpp.maxbytes)").register(registry);
        Gauge.builder("dm.native.physical", Pointer::physicalBytes).baseUnit("bytes")
                .description("physical memory of the process (RSS) as JavaCPP measures it").register(registry);
        HugePages pages = HugePages.ofThisProcess();
        Gauge.builder("dm.native.huge.pages", () -> pages.used() ? 1 : 0)
                .description("1 when ND4J's buffers can use transparent huge pages (kernel THP always, or madvise with "
                        + "GLIBC_TUNABLES=glibc.malloc.hugetlb=1); 0 means training runs about 3x slower")
                .tag("kernel", pages.kernelMode()).register(registry);
    }
}
