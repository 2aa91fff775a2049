package io.distillmesh.evaluator.web;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The dashboard's live feed (text/event-stream): each client first gets a {@code snapshot} event, then one
 * {@code result} event per new result, and a comment line now and then so idle proxies keep the stream open.
 * Use it from the verticle's event loop only.
 */
public final class ServerSentEvents {
    private final Set<HttpServerResponse> clients = new LinkedHashSet<>();

    /** Opens the stream for this request and sends {@code snapshot} as its first event. */
    public void connect(RoutingContext ctx, String snapshotEvent, String snapshotJson) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
        response.write("retry: 2000\n\n");
        response.write(event(snapshotEvent, snapshotJson));
        clients.add(response);
        response.closeHandler(v -> clients.remove(response));
        response.exceptionHandler(e -> clients.remove(response));
    }

    public void broadcast(String name, String json) {
        String event = event(name, json);
        for (HttpServerResponse client : clients) {
            client.write(event);
        }
    }

    public void keepAlive() {
        for (HttpServerResponse client : clients) {
            client.write(": keep-alive\n\n");
        }
    }

    public void closeAll() {
        for (HttpServerResponse client : Set.copyOf(clients)) {
            client.end();
        }
        clients.clear();
    }

    public int clients() {
        return clients.size();
    }

    /** One event; JSON has no raw newlines, so the data fits one {@code data:} line. */
    private static String event(String name, String json) {
        return "event: " + name + "\ndata: " + json + "\n\n";
    }
}
