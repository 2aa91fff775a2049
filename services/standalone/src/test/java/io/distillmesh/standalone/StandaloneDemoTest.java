package io.distillmesh.standalone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main command, shrunk: teacher, three students, a short distillation job on the distiller, and the
 * evaluator's two tables (students; distilled set with its baselines) and the dashboard URL at the end.
 */
class StandaloneDemoTest {
    private static final Path MODELS = Path.of("../../models").toAbsolutePath().normalize();

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void theDemoEndsWithTheStudentsTableTheDistilledSetAgainstItsBaselinesAndTheDashboardUrl(@TempDir Path work) {
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream tee = new PrintStream(new TeeStream(console, captured), true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            rc = new CommandLine(new StandaloneMesh()).execute("--models-dir", MODELS.toString(), "--samples", "3000",
                    "--labelled", "600", "--epochs", "1", "--distill-iterations", "8", "--distill-replicas", "2",
                    "--http-port", "0", "--work-dir", work.toString());
        } finally {
            System.setOut(console);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        for (String student : new String[]{"hard-labels", "kd-T2", "kd-T4"}) {
            assertTrue(percent(out, "\\| " + student + " .*?\\|\\s+([0-9.]+)%") > 10, student + " row:\n" + out);
        }
        assertTrue(percent(out, "\\| teacher teacher-cnn.zip .*?\\|\\s+([0-9.]+)%") > 85, out);
        double set = percent(out, "\\| distilled set +\\| +10 \\| learned [0-9.,]+ +\\| +([0-9.]+)%");
        assertTrue(set > 15, "a distilled set trains the init above its untrained 14.6 %:\n" + out);
        for (String baseline : new String[]{"random-real", "class-means", "k-means"}) {
            double accuracy = percent(out, "\\| " + baseline + " +\\| +10 \\| best fixed [0-9.]+ +\\| +([0-9.]+)% ± [0-9.]+");
            assertTrue(accuracy > 0 && accuracy < 100, baseline + ":\n" + out);
        }
        assertTrue(Pattern.compile("Dashboard: http://127\\.0\\.0\\.1:\\d+/").matcher(out).find(), out);
    }

    private static double percent(String out, String row) {
        Matcher m = Pattern.compile(row).matcher(out);
        assertTrue(m.find(), "no row matching " + row + " in:\n" + out);
        return Double.parseDouble(m.group(1));
    }

    /** Writes to the console and keeps a copy. */
    private static final class TeeStream extends java.io.OutputStream {
        private final PrintStream console;
        private final ByteArrayOutputStream copy;

        TeeStream(PrintStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            console.write(b);
            copy.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            console.write(b, off, len);
            copy.write(b, off, len);
        }
    }
}
