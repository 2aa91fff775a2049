package io.distillmesh.messaging.vertx;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.UUID;

/**
 * A Vert.x instance whose metrics (and the mesh's own) go to one Prometheus registry: one per service.
 * Each gets its own registry name, so several services in one JVM (the standalone mode) keep their
 * Vert.x metrics apart as they would in separate containers.
 */
public record MeshVertx(Vertx vertx, PrometheusMeterRegistry registry) {

    public static MeshVertx create() {
        return create(new VertxOptions());
    }

    /** With other Vert.x options (e.g. a test's blocked-thread checker); their metrics options are replaced. */
    public static MeshVertx create(VertxOptions options) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new NativeMemoryMetrics().bindTo(registry);
        HugePages.adviseOnce();
        BlasThreadTimeout.adviseOnce();
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(false)
                .setRegistryName("distill-mesh-" + UUID.randomUUID());
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions(options).setMetricsOptions(metrics))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        return new MeshVertx(vertx, registry);
    }
}
