package dev.netmeta.local.runner;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a test's local pipeline prints: handed to {@link LocalPipeline#start} as its console and shown once the
 * pipeline has stopped (while the runner runs, {@code System.out} goes to its output.log).
 */
final class PipelineConsole {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    PrintStream stream() {
        return stream;
    }

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Stops the pipeline if one was started, then prints {@code report} and what the pipeline printed. */
    void stopAndShow(LocalPipeline pipeline, String report) {
        if (pipeline != null) {
            pipeline.close();
        }
        System.out.println(report + text());
    }
}
