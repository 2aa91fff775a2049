package io.distillmesh.k8s.invariants;

import io.distillmesh.k8s.mesh.MeshService;
import io.distillmesh.messaging.vertx.ServiceConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a mesh container's service is configured with: its environment and, where it names one, its config file. */
public record ContainerConfig(MeshService service, ContainerEnv env, ConfigFile file) {
    public static ContainerConfig of(Workload workload, Container container, RenderedOverlay overlay) {
        ContainerEnv env = new ContainerEnv(container, overlay);
        return new ContainerConfig(Workload.service(container).orElseThrow(), env,
                new ConfigFile(workload, container, env, overlay));
    }

    /**
     * The configuration as ServiceConfig.load builds it in the container (the defaults, the file, the DM_ variables;
     * secrets as placeholders); it throws where the service would refuse to start.
     */
    public JsonObject load() {
        if (file.path().isEmpty()) {
            return ServiceConfig.load(service.defaults(), null, env.asEnvironment());
        }
        String content = file.content().orElseThrow(() -> new IllegalArgumentException(
                "its config file " + file.path().get() + " is not in the pod: " + file.problems()));
        try {
            Path copy = Files.createTempFile("config-", ".json");
            try {
                Files.writeString(copy, content);
                return ServiceConfig.load(service.defaults(), copy, env.asEnvironment());
            } finally {
                Files.delete(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
