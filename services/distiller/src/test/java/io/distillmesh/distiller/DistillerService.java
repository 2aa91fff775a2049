package io.distillmesh.distiller;

import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.vertx.MeshVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real distiller on loopback with an embedded Kafka broker, and an HTTP client for it. */
final class DistillerService implements AutoCloseable {
    final EmbeddedKafkaBroker broker;
    final MeshVertx mesh = MeshVertx.create();
    final WebClient client;
    final DistillerVerticle verticle;

    DistillerService(Path work, JsonObject config) throws Exception {
        broker = EmbeddedKafkaBroker.start(work.resolve("kafka"));
        verticle = new DistillerVerticle(mesh.registry());
        JsonObject conf = new JsonObject().put("http.port", 0).put("http.host", "127.0.0.1")
                .put("kafka.bootstrap.servers", broker.bootstrapServers())
                .put("artifacts.dir", work.resolve("artifacts").toString())
                .put("models.dir", work.resolve("models").toString()).mergeIn(config);
        mesh.vertx().deployVerticle(verticle, new DeploymentOptions().setConfig(conf))
                .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
        client = WebClient.create(mesh.vertx());
    }

    HttpRequest<Buffer> post(String path) {
        return client.post(verticle.port(), "127.0.0.1", path);
    }

    HttpResponse<Buffer> get(String path) throws Exception {
        return send(client.get(verticle.port(), "127.0.0.1", path));
    }

    HttpResponse<Buffer> delete(String path) throws Exception {
        return send(client.delete(verticle.port(), "127.0.0.1", path));
    }

    static HttpResponse<Buffer> send(HttpRequest<Buffer> request) throws Exception {
        return request.send().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }

    static HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) throws Exception {
        return request.sendJsonObject(body).toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }

    @Override
    public void close() throws Exception {
        try {
            mesh.vertx().close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        } finally {
            broker.close();
        }
    }
}
