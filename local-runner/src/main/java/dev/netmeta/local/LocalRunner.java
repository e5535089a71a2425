package dev.netmeta.local;

import dev.netmeta.local.runner.LocalPipeline;
import dev.netmeta.local.runner.RunnerOptions;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar local-runner/target/local-runner.jar}: netmeta on this machine, no Docker, no AWS account.
 * Options: {@code --help}. Ctrl-C (or SIGTERM) stops it cleanly; starting again with the same data directory
 * continues where it stopped.
 */
public final class LocalRunner {

    private LocalRunner() {
    }

    public static void main(String[] args) {
        // the real console, whatever embedded servers later do with System.out
        PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        RunnerOptions options;
        try {
            options = RunnerOptions.parse(args, System.getenv());
        } catch (RunnerOptions.HelpRequested help) {
            console.print(RunnerOptions.usage());
            return;
        } catch (IllegalArgumentException e) {
            console.println("netmeta local: " + e.getMessage());
            console.println("run with --help for the options");
            System.exit(2);
            return;
        }
        LocalPipeline pipeline;
        try {
            pipeline = LocalPipeline.start(options, console, System.getenv());
        } catch (RuntimeException e) {
            console.println("netmeta local: could not start: " + e.getMessage());
            if (options.verbose()) {
                e.printStackTrace(console);
            }
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.println();
            console.println("stopping ...");
            pipeline.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
