package io.distillmesh.standalone;

import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Runs the invoked command with the libraries' output in a log file, so the console keeps the command's own
 * output (progress bars, addresses, results and errors). The first line says where the log is; a failure ends with
 * a pointer to it. {@code --verbose} leaves everything on the console. A command that is no {@link LoggedCommand}
 * logs to {@code <logs dir>/<command>-<time>.log}.
 */
final class QuietConsole implements IExecutionStrategy {
    static final String VERBOSE = "--verbose";
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss");

    private final Path logsDir;

    QuietConsole(Path logsDir) {
        this.logsDir = logsDir;
    }

    @Override
    public int execute(ParseResult parseResult) {
        Integer helpExitCode = CommandLine.executeHelpRequest(parseResult);
        if (helpExitCode != null) {
            return helpExitCode;
        }
        if (verbose(parseResult)) {
            return new CommandLine.RunLast().execute(parseResult);
        }
        CommandLine root = parseResult.commandSpec().commandLine();
        // binds every command's out and err to the console as it is now, before System.out and System.err move
        root.setOut(root.getOut());
        root.setErr(root.getErr());
        CommandLine invoked = invoked(parseResult).commandSpec().commandLine();
        PrintWriter errors = invoked.getErr();
        Path log = logFile(invoked);
        invoked.getOut().println("logs: " + log + "  (--verbose shows them here)");
        try (LogFileRedirect redirect = redirectTo(log, invoked)) {
            System.out.printf("%n=== %s %s%n", LocalDateTime.now(), String.join(" ", parseResult.originalArgs()));
            int exitCode;
            try {
                exitCode = new CommandLine.RunLast().execute(parseResult);
            } catch (ExecutionException e) {
                e.getCause().printStackTrace();
                errors.println("Error: " + e.getCause());
                exitCode = invoked.getCommandSpec().exitCodeOnExecutionException();
            }
            if (exitCode != 0) {
                errors.println("Log: " + log);
            }
            return exitCode;
        }
    }

    private Path logFile(CommandLine invoked) {
        if (invoked.getCommand() instanceof LoggedCommand command) {
            try {
                return command.logFile();
            } catch (IOException e) {
                throw new ExecutionException(invoked, "cannot create the directory of the log: " + e.getMessage(), e);
            }
        }
        return logsDir.resolve(invoked.getCommandName() + "-" + FILE_TIME.format(LocalDateTime.now()) + ".log");
    }

    private static LogFileRedirect redirectTo(Path log, CommandLine invoked) {
        try {
            return LogFileRedirect.to(log);
        } catch (IOException e) {
            throw new ExecutionException(invoked, "cannot write the log " + log + ": " + e.getMessage(), e);
        }
    }

    private static boolean verbose(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    private static ParseResult invoked(ParseResult parseResult) {
        ParseResult p = parseResult;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return p;
    }
}
