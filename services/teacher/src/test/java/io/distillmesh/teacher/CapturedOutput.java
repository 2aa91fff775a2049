package io.distillmesh.teacher;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** What is printed to System.out or System.err while a piece of code runs (still printed as well). */
final class CapturedOutput {
    interface Action {
        void run() throws Exception;
    }

    private CapturedOutput() {
    }

    static String ofStdout(Action action) throws Exception {
        return capture(System.out, System::setOut, action);
    }

    static String ofStderr(Action action) throws Exception {
        return capture(System.err, System::setErr, action);
    }

    private static String capture(PrintStream original, Consumer<PrintStream> set, Action action) throws Exception {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public synchronized void write(int b) {
                original.write(b);
                copy.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                copy.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        set.accept(tee);
        try {
            action.run();
        } finally {
            set.accept(original);
        }
        tee.flush();
        return copy.toString(StandardCharsets.UTF_8);
    }
}
