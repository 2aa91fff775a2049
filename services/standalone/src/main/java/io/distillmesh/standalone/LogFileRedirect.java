package io.distillmesh.standalone;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * Sends everything written to {@code System.out} and {@code System.err} (slf4j-simple, JavaCPP, Kafka's and the
 * services' own prints) and java.util.logging's console output to one log file, appended to, until closed; closing
 * puts the streams and handlers back. Progress bars are unaffected: they write to the process's stderr directly.
 */
final class LogFileRedirect implements AutoCloseable {
    private final PrintStream log;
    private final PrintStream previousOut;
    private final PrintStream previousErr;
    private final Logger julRoot = Logger.getLogger("");
    private final List<Handler> julConsoleHandlers = new ArrayList<>();
    private final Handler julToLog;

    private LogFileRedirect(PrintStream log) {
        this.log = log;
        this.julToLog = new FlushingStreamHandler(log);
        // before System.err moves: a ConsoleHandler that java.util.logging creates now must keep the console's stream
        for (Handler handler : julRoot.getHandlers()) {
            if (handler instanceof ConsoleHandler) {
                julConsoleHandlers.add(handler);
                julRoot.removeHandler(handler);
                julToLog.setLevel(handler.getLevel());
                julToLog.setFormatter(handler.getFormatter());
            }
        }
        julRoot.addHandler(julToLog);
        this.previousOut = System.out;
        this.previousErr = System.err;
        System.setOut(log);
        System.setErr(log);
    }

    static LogFileRedirect to(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        OutputStream stream = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new LogFileRedirect(new PrintStream(new BufferedOutputStream(stream), true, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        julRoot.removeHandler(julToLog);
        julConsoleHandlers.forEach(julRoot::addHandler);
        System.setOut(previousOut);
        System.setErr(previousErr);
        log.close();
    }

    private static final class FlushingStreamHandler extends StreamHandler {
        FlushingStreamHandler(OutputStream out) {
            super(out, new SimpleFormatter());
        }

        @Override
        public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
        }

        /** The stream belongs to the redirect; closing the handler must not close it. */
        @Override
        public synchronized void close() {
            flush();
        }
    }
}
