package dev.netmeta.local.runner.invoke;

import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A function's log, like its CloudWatch log group: {@code <data-dir>/logs/<function>.log}, one line per entry with a
 * timestamp and the request id; with {@code --verbose} also echoed to the console. Warnings about the runner's own
 * handling of an invocation ({@link #warn}) go to the console even without {@code --verbose}.
 */
public final class FunctionLog implements AutoCloseable {

    private final Writer file;
    private final Consumer<String> echo;
    private final Consumer<String> warnings;
    private final String function;

    public FunctionLog(Path logDir, String function, Consumer<String> echo) {
        this(logDir, function, echo, null);
    }

    /** {@code warnings}: where {@link #warn} lines go besides the file when {@code echo} is not set (the console). */
    public FunctionLog(Path logDir, String function, Consumer<String> echo, Consumer<String> warnings) {
        this.function = function;
        this.echo = echo;
        this.warnings = warnings;
        try {
            Files.createDirectories(logDir);
            this.file = Files.newBufferedWriter(logDir.resolve(function + ".log"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log of function " + function + " in " + logDir, e);
        }
    }

    public void write(String requestId, String message) {
        writeLine(requestId, message, echo);
    }

    /** A {@code WARN} line: written to the file and shown on the console, {@code --verbose} or not. */
    public void warn(String requestId, String message) {
        writeLine(requestId, "WARN " + message, echo != null ? echo : warnings);
    }

    private synchronized void writeLine(String requestId, String message, Consumer<String> console) {
        String line = Instant.now() + " " + (requestId == null ? "-" : requestId) + " " + message.stripTrailing();
        try {
            file.write(line);
            file.write('\n');
            file.flush();
        } catch (IOException e) {
            // the log is best effort; the invocation's outcome does not depend on it
        }
        if (console != null) {
            console.accept("[" + function + "] " + message.stripTrailing());
        }
    }

    LambdaLogger loggerFor(String requestId) {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                write(requestId, message);
            }

            @Override
            public void log(byte[] message) {
                write(requestId, new String(message, StandardCharsets.UTF_8));
            }
        };
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}
