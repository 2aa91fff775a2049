package io.distillmesh.bench;

import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.teacher.TeacherMain;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One run's samples per second with 1 and with 2 teacher processes sharing it (each a TeacherMain with its own
 * OpenMP threads), on one embedded broker per measurement; the arms alternate inside each round. Prints every
 * measurement and then the medians.
 */
@Command(name = "teacher-replicas", mixinStandardHelpOptions = true)
public final class TeacherReplicasBench implements Callable<Integer> {
    @Option(names = "--samples", defaultValue = "60000")
    int samples;
    @Option(names = "--rounds", defaultValue = "3")
    int rounds;
    @Option(names = "--batch", defaultValue = "256")
    int batch;
    @Option(names = "--arms", split = ",", defaultValue = "1x1,2x1,1x2",
            description = "processes x OpenMP threads per process")
    List<String> arms;
    @Option(names = "--models", defaultValue = "models")
    Path models;

    private final HttpClient http = HttpClient.newHttpClient();

    public static void main(String[] args) {
        System.exit(new CommandLine(new TeacherReplicasBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        System.out.println("machine: " + Machine.describe());
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String arm : arms) {
                String[] parts = arm.split("x");
                double rate = measure(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
                rates.computeIfAbsent(arm, k -> new ArrayList<>()).add(rate);
                System.out.printf("round %d | %s processes x threads | %.0f samples/s%n", round, arm, rate);
            }
        }
        System.out.printf("%n| teacher processes x OpenMP threads | samples/s of the run, median of %d |%n", rounds);
        System.out.println("|---|---|");
        for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
            List<Double> sorted = e.getValue().stream().sorted().toList();
            System.out.printf("| %s | %.0f |%n", e.getKey(), sorted.get(sorted.size() / 2));
        }
        return 0;
    }

    private double measure(int processes, int threads) throws Exception {
        Path work = Files.createTempDirectory("teacher-replicas");
        List<Process> started = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"))) {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                int port = freePort();
                ports.add(port);
                started.add(startTeacher(work.resolve("teacher-" + i), broker.bootstrapServers(), port, threads, i));
            }
            for (int port : ports) {
                awaitHealthy(port);
            }
            String run = "replicas-" + processes + "x" + threads;
            String body = new JsonObject().put("runId", run).put("limit", samples).put("batchSize", batch).encode();
            long start = System.nanoTime();
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(0)
                    + "/runs")).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (posted.statusCode() != 202) {
                throw new IllegalStateException("POST /runs answered " + posted.statusCode() + ": " + posted.body());
            }
            while (true) {
                JsonObject status = new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + ports.get(0) + "/runs/" + run)).build(), HttpResponse.BodyHandlers.ofString()).body());
                if (!status.getString("state").equals("RUNNING")) {
                    if (!status.getString("state").equals("DONE")) {
                        throw new IllegalStateException("run failed: " + status.encode());
                    }
                    return samples / ((System.nanoTime() - start) / 1e9);
                }
                Thread.sleep(50);
            }
        } finally {
            for (Process p : started) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    private Process startTeacher(Path dir, String bootstrap, int port, int threads, int index) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("teacher.json");
        Files.writeString(config, new JsonObject().put("http.port", port).put("http.host", "127.0.0.1")
                .put("kafka.bootstrap.servers", bootstrap).put("models.dir", models.toAbsolutePath().toString())
                .put("teacher.instance", "bench-" + index).encode());
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), TeacherMain.class.getName(), config.toString());
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        builder.redirectErrorStream(true).redirectOutput(dir.resolve("teacher.log").toFile());
        return builder.start();
    }

    private void awaitHealthy(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("teacher on port " + port + " did not come up");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
