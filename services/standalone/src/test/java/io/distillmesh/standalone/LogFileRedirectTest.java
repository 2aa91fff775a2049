package io.distillmesh.standalone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFileRedirectTest {
    @Test
    void slf4jJulAndPrintsToTheStandardStreamsGoToTheFileAndNotToTheConsole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("runs").resolve("distill-mesh.log");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            try (LogFileRedirect redirect = LogFileRedirect.to(file)) {
                LoggerFactory.getLogger("org.nd4j.SomeBackend").warn("a backend warning");
                Logger.getLogger("org.example.JulUser").warning("a java.util.logging warning");
                System.out.println("a library printing to stdout");
                System.err.println("a library printing to stderr");
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String log = Files.readString(file);
        for (String line : new String[]{"WARN org.nd4j.SomeBackend - a backend warning",
                "a java.util.logging warning", "a library printing to stdout", "a library printing to stderr"}) {
            assertTrue(log.contains(line), "log file lacks '" + line + "':\n" + log);
        }
        assertEquals("", console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void closingPutsTheStandardStreamsBackAndAppendsOnTheNextRun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("distill-mesh.log");
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (LogFileRedirect redirect = LogFileRedirect.to(file)) {
            System.out.println("first run");
        }
        assertSame(out, System.out);
        assertSame(err, System.err);
        try (LogFileRedirect redirect = LogFileRedirect.to(file)) {
            System.out.println("resumed run");
        }
        assertEquals("first run\nresumed run\n", Files.readString(file).replace(System.lineSeparator(), "\n"));
    }
}
