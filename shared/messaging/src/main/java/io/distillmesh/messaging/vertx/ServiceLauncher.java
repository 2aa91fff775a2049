package io.distillmesh.messaging.vertx;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Starts one service in its own JVM (a container): config from the file named by the first argument or
 * $DM_CONFIG, environment overrides, a Vert.x with Prometheus metrics, the verticle deployed.
 */
public final class ServiceLauncher {
    private ServiceLauncher() {
    }

    public static void launch(String service, JsonObject defaults, Function<PrometheusMeterRegistry, Deployable> verticle,
                              String[] args) {
        String file = args.length > 0 ? args[0] : System.getenv("DM_CONFIG");
        JsonObject config;
        try {
            config = ServiceConfig.load(defaults, file == null || file.isBlank() ? null : Path.of(file), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(service + ": bad configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        MeshVertx mesh = MeshVertx.create();
        mesh.vertx().deployVerticle(verticle.apply(mesh.registry()), new DeploymentOptions().setConfig(config))
                .onSuccess(id -> System.out.println(service + " started on port " + config.getValue("http.port")))
                .onFailure(e -> {
                    System.err.println(service + " failed to start: " + e.getMessage());
                    mesh.vertx().close().onComplete(v -> System.exit(1));
                });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                mesh.vertx().close().toCompletionStage().toCompletableFuture().get();
            } catch (Exception e) {
                System.err.println(service + ": unclean shutdown: " + e.getMessage());
            }
        }));
    }
}
