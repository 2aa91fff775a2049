package io.distillmesh.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server process on a free loopback port, with its config and TSDB in a directory
 * of its own; its HTTP API for queries. {@link #close()} stops it (SIGTERM, then SIGKILL after 20 s).
 */
final class PrometheusServer implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private final Process process;
    private final Path log;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path log, URI base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /** Writes the config into {@code dir} and starts Prometheus on it; returns once /-/ready answers 200. */
    static PrometheusServer start(Path dir, String configYaml) throws IOException, InterruptedException {
        Path config = Files.writeString(dir.resolve("prometheus.yml"), configYaml);
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(PrometheusBinaries.prometheus().toString(),
                "--config.file=" + config, "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("tsdb")),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, log, URI.create("http://127.0.0.1:" + port));
        try {
            server.awaitReady();
            return server;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("prometheus not ready within " + READY_TIMEOUT + ":\n" + log());
    }

    /** GET /api/v1/query: the result vector, or an AssertionError with Prometheus's error. */
    JsonArray query(String promQl) throws IOException, InterruptedException {
        return data("/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8), promQl).getJsonArray("result");
    }

    /** GET /api/v1/rules: the rule groups Prometheus has loaded. */
    JsonArray ruleGroups() throws IOException, InterruptedException {
        return data("/api/v1/rules", "rules").getJsonArray("groups");
    }

    /** GET /api/v1/targets: the active scrape targets. */
    JsonArray activeTargets() throws IOException, InterruptedException {
        return data("/api/v1/targets?state=active", "targets").getJsonArray("activeTargets");
    }

    private JsonObject data(String path, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        JsonObject body = new JsonObject(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.getString("status"))) {
            throw new AssertionError("prometheus refused " + what + ": " + response.statusCode() + " " + response.body());
        }
        return body.getJsonObject("data");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String log() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
