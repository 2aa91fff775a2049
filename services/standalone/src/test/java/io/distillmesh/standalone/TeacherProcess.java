package io.distillmesh.standalone;

import io.distillmesh.teacher.TeacherMain;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The teacher service as a process of its own (TeacherMain with a config file), so it can be killed with SIGKILL. */
final class TeacherProcess implements AutoCloseable {
    private final Path config;
    private final Path log;
    private final int port;
    private Process process;

    TeacherProcess(Path dir, String bootstrapServers, Path modelsDir) {
        this(dir, bootstrapServers, modelsDir, new JsonObject());
    }

    /** With {@code extra} config on top (e.g. teacher.instance for a second replica on this host). */
    TeacherProcess(Path dir, String bootstrapServers, Path modelsDir, JsonObject extra) {
        this.port = freePort();
        this.config = dir.resolve("teacher.json");
        this.log = dir.resolve("teacher.log");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, new JsonObject().put("http.port", port).put("http.host", "127.0.0.1")
                    .put("kafka.bootstrap.servers", bootstrapServers).put("models.dir", modelsDir.toString())
                    .mergeIn(extra).encode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    void start() {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), TeacherMain.class.getName(), config.toString());
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting the teacher", e);
        }
    }

    /** SIGKILL, as a crash or the OOM killer would end it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
