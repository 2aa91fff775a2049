package io.distillmesh.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus binaries (package prometheus): /usr/bin/promtool and /usr/bin/prometheus, or
 * where $PROMTOOL / $PROMETHEUS point. A missing binary is an error that says how to install it, never a skip.
 */
final class PrometheusBinaries {
    static final String INSTALL_HINT = "install Debian's Prometheus: apt-get install -y prometheus";

    /** What a command printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private PrometheusBinaries() {
    }

    static Path promtool() {
        return find("PROMTOOL", "promtool");
    }

    static Path prometheus() {
        return find("PROMETHEUS", "prometheus");
    }

    private static Path find(String variable, String name) {
        String override = System.getenv(variable);
        List<Path> candidates = new ArrayList<>();
        if (override != null && !override.isBlank()) {
            candidates.add(Path.of(override));
        }
        candidates.add(Path.of("/usr/bin", name));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, name));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(
                name + " not found (looked at $" + variable + ", /usr/bin and $PATH): " + INSTALL_HINT));
    }

    /** Runs promtool with these arguments in a directory; fails if it does not end within a minute. */
    static Result promtool(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(promtool().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
