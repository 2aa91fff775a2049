package io.distillmesh.standalone;

import io.distillmesh.messaging.vertx.MeshVertx;
import io.distillmesh.messaging.vertx.NativeMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MeshVertx} with the metrics of {@link MeshVertx#create()} (which takes no options) whose blocked-thread
 * checker looks four times within {@code reportAfterMillis} and hands every event loop held longer to
 * {@code reports} instead of logging it.
 */
final class WatchedMeshVertx {
    private WatchedMeshVertx() {
    }

    static MeshVertx create(long reportAfterMillis, Handler<BlockedThreadEvent> reports) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new NativeMemoryMetrics().bindTo(registry);
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(false)
                .setRegistryName("distill-mesh-" + UUID.randomUUID());
        VertxOptions options = new VertxOptions().setMetricsOptions(metrics)
                .setMaxEventLoopExecuteTime(reportAfterMillis).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(Math.max(10, reportAfterMillis / 4))
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
        Vertx vertx = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry)).build();
        ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(reports);
        return new MeshVertx(vertx, registry);
    }
}
