package io.distillmesh.standalone;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Sends {@link RestCall}s all at once to 127.0.0.1, from a Vert.x of its own, and waits for every answer. */
final class RestBurst implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final long TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(2);
    private final Vertx vertx = Vertx.vertx();
    private final WebClient client = WebClient.create(vertx, new WebClientOptions(),
            new PoolOptions().setHttp1MaxSize(16));

    List<RestAnswer> send(List<RestCall> calls) throws Exception {
        List<Future<RestAnswer>> answers = calls.stream().map(this::send).toList();
        return Future.all(answers).map(all -> answers.stream().map(Future::result).toList())
                .toCompletionStage().toCompletableFuture().get(TIMEOUT_MILLIS + 60_000, TimeUnit.MILLISECONDS);
    }

    private Future<RestAnswer> send(RestCall call) {
        HttpRequest<Buffer> request = client.request(call.method(), call.port(), HOST, call.path())
                .timeout(TIMEOUT_MILLIS);
        long start = System.nanoTime();
        Future<HttpResponse<Buffer>> response = call.body() == null ? request.send()
                : request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(call.body()));
        return response.map(r -> new RestAnswer(call, r.statusCode(), null, System.nanoTime() - start))
                .otherwise(e -> new RestAnswer(call, -1, String.valueOf(e), System.nanoTime() - start));
    }

    /** The JSON object a GET answers with 200. */
    JsonObject json(int port, String path) throws Exception {
        HttpResponse<Buffer> response = client.get(port, HOST, path).timeout(TIMEOUT_MILLIS).send()
                .expecting(HttpResponseExpectation.SC_OK).toCompletionStage().toCompletableFuture()
                .get(TIMEOUT_MILLIS + 60_000, TimeUnit.MILLISECONDS);
        return response.bodyAsJsonObject();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
}
