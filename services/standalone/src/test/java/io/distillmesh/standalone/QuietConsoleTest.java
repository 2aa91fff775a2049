package io.distillmesh.standalone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/distill-mesh}'s entry point: the libraries' output goes to the log file, the console keeps the rest. */
class QuietConsoleTest {
    private static final Path MODELS = Path.of("../../models").toAbsolutePath().normalize();
    /** A log line of slf4j-simple or java.util.logging, or a library's own print seen on the console before. */
    private static final Pattern LIBRARY_LINE = Pattern.compile(
            "^(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|SEVERE) |org\\.apache\\.kafka|metaPropertiesEnsemble|^teacher: Kafka at",
            Pattern.MULTILINE);

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void theMeshLogsTheLibrariesToItsWorkDirAndKeepsTheConsoleForAddressesAndResults(@TempDir Path work,
                                                                                    @TempDir Path logs) throws Exception {
        ConsoleOutput console = ConsoleOutput.run(logs, "--models-dir", MODELS.toString(), "--samples", "300", "--labelled", "100",
                "--epochs", "1", "--distill-iterations", "0", "--http-port", "0", "--work-dir", work.toString());

        assertEquals(0, console.exitCode, console.toString());
        Path log = work.resolve("distill-mesh.log");
        assertTrue(console.out.startsWith("logs: " + log), console.toString());
        assertTrue(Pattern.compile("^teacher  http://127\\.0\\.0\\.1:\\d+", Pattern.MULTILINE).matcher(console.out).find(),
                console.toString());
        assertTrue(console.out.contains("| kd-T2 "), console.toString());
        assertFalse(LIBRARY_LINE.matcher(console.out).find(), "library output on stdout:\n" + console.out);
        assertFalse(LIBRARY_LINE.matcher(console.err).find(), "library output on stderr:\n" + console.err);
        String logged = Files.readString(log);
        assertTrue(logged.contains("WARN org.apache.kafka."), "no Kafka logging in the log file:\n" + logged);
        assertTrue(logged.contains("metaPropertiesEnsemble="), "Kafka's own print is not in the log file:\n" + logged);
        try (Stream<Path> files = Files.list(logs)) {
            assertEquals(List.of(), files.toList(), "the mesh logs to its work dir only");
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aCommandThatFailsSaysWhyOnTheConsoleAndPointsToItsLogWhichHoldsTheStackTrace(@TempDir Path logs)
            throws Exception {
        ConsoleOutput console = ConsoleOutput.run(logs, "distill", "--iterations", "1", "--data-dir", "/nonexistent");

        assertEquals(1, console.exitCode, console.toString());
        Path log;
        try (Stream<Path> files = Files.list(logs)) {
            log = files.filter(f -> f.getFileName().toString().matches("distill-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.log"))
                    .findFirst().orElseThrow(() -> new AssertionError("no distill-<time>.log in " + logs));
        }
        assertTrue(console.out.startsWith("logs: " + log), console.toString());
        assertTrue(console.err.contains("Error: ") && console.err.contains("/nonexistent"), console.toString());
        assertTrue(console.err.contains("Log: " + log), console.toString());
        assertFalse(console.err.contains("\tat "), "the stack trace belongs in the log:\n" + console.err);
        assertTrue(Files.readString(log).contains("\tat io.distillmesh.distiller.cli.DistillJob.call"), Files.readString(log));
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void verboseLeavesEverythingOnTheConsoleAndWritesNoLog(@TempDir Path logs) throws Exception {
        ConsoleOutput console = ConsoleOutput.run(logs, "distill", "--verbose", "--iterations", "1", "--data-dir", "/nonexistent");

        assertEquals(1, console.exitCode, console.toString());
        assertFalse(console.out.contains("logs: "), console.toString());
        assertTrue(console.err.contains("\tat io.distillmesh.distiller.cli.DistillJob.call"), console.toString());
        try (Stream<Path> files = Files.list(logs)) {
            assertEquals(List.of(), files.toList());
        }
    }

    /** What one run of the command line printed to stdout and to stderr. */
    private record ConsoleOutput(int exitCode, String out, String err) {
        static ConsoleOutput run(Path logs, String... args) {
            PrintStream out = System.out;
            PrintStream err = System.err;
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int exitCode;
            try (PrintStream capturedOut = new PrintStream(stdout, true, StandardCharsets.UTF_8);
                 PrintStream capturedErr = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
                System.setOut(capturedOut);
                System.setErr(capturedErr);
                exitCode = StandaloneMesh.commandLine(logs).execute(args);
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
            return new ConsoleOutput(exitCode, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }
}
