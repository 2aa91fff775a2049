package io.distillmesh.standalone;

import io.distillmesh.messaging.vertx.MeshVertx;
import io.vertx.core.Handler;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;

import java.util.concurrent.TimeUnit;

/**
 * A {@link MeshVertx} whose blocked-thread checker looks four times within {@code reportAfterMillis} and hands
 * every event loop held longer to {@code reports} instead of logging it.
 */
final class WatchedMeshVertx {
    private WatchedMeshVertx() {
    }

    static MeshVertx create(long reportAfterMillis, Handler<BlockedThreadEvent> reports) {
        MeshVertx mesh = MeshVertx.create(new VertxOptions()
                .setMaxEventLoopExecuteTime(reportAfterMillis).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(Math.max(10, reportAfterMillis / 4))
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
        ((VertxInternal) mesh.vertx()).blockedThreadChecker().setThreadBlockedHandler(reports);
        return mesh;
    }
}
