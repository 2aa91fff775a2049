package io.distillmesh.standalone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The all-in-one command killed with SIGKILL once its students have checkpointed, then run again with the same work
 * directory: it resumes the same run (the teacher goes on with its stream, the students from their checkpoints) and
 * ends with the students' table. Other options on that work directory are refused with what differs and how to
 * start afresh.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class StandaloneResumeTest {
    private static final Path MODELS = Path.of("../../models").toAbsolutePath().normalize();

    @Test
    void aKilledMeshRunAgainOnItsWorkDirectoryResumesTheSameRun(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("work");
        Path firstLog = dir.resolve("first.log");
        Process first = mesh(work, firstLog, "6000");
        awaitCheckpoint(work.resolve("checkpoints"), first, firstLog);
        first.destroyForcibly();
        first.waitFor(30, TimeUnit.SECONDS);
        String runId = SavedRun.in(work).orElseThrow().runId();

        Path otherLog = dir.resolve("other.log");
        Process other = mesh(work, otherLog, "3000");
        assertEquals(2, waitFor(other), Files.readString(otherLog));
        String refused = Files.readString(otherLog);
        assertTrue(refused.contains("samples 6000 → 3000") && refused.contains("--fresh"), refused);

        Path secondLog = dir.resolve("second.log");
        Process second = mesh(work, secondLog, "6000");
        int rc = waitFor(second);
        String out = Files.readString(secondLog);
        assertEquals(0, rc, out);
        assertTrue(out.contains("Resuming run " + runId), out);
        assertFalse(out.contains("different student spec"), out);
        for (String student : new String[]{"hard-labels", "kd-T2", "kd-T4"}) {
            assertTrue(out.matches("(?s).*\\| " + student + " .*?\\|\\s+[0-9.]+%.*"), student + " row:\n" + out);
        }
    }

    private static Process mesh(Path work, Path log, String samples) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g", "-cp", System.getProperty("java.class.path"), StandaloneMesh.class.getName(),
                "--models-dir", MODELS.toString(), "--samples", samples, "--labelled", "600", "--epochs", "2",
                "--distill-iterations", "0", "--http-port", "0", "--work-dir", work.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }

    /** Waits until some student has saved a checkpoint (each saves one at the end of its first pass). */
    private static void awaitCheckpoint(Path checkpoints, Process mesh, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(5);
        while (System.currentTimeMillis() < deadline) {
            if (!mesh.isAlive()) {
                throw new AssertionError("the mesh ended before any checkpoint:\n" + Files.readString(log));
            }
            if (Files.isDirectory(checkpoints)) {
                try (Stream<Path> files = Files.walk(checkpoints)) {
                    if (files.anyMatch(f -> f.getFileName().toString().equals("model.zip"))) {
                        return;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no checkpoint in time:\n" + Files.readString(log));
    }

    private static int waitFor(Process mesh) throws InterruptedException {
        if (!mesh.waitFor(8, TimeUnit.MINUTES)) {
            mesh.destroyForcibly();
            throw new AssertionError("the mesh did not end in 8 minutes");
        }
        return mesh.exitValue();
    }
}
