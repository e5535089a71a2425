package dev.netmeta.local.server;

import java.io.PrintStream;

/**
 * The JVM's console streams as they were before any embedded server touched them.
 *
 * <p>OpenSearch's log configuration replaces {@code System.out}/{@code System.err} with streams that go
 * through log4j, so the local runner's progress lines and the functions' JSON log lines would end up in
 * OpenSearch's log file instead of on the console. {@link EmbeddedOpenSearch} captures the originals here
 * before the node starts and puts them back afterwards.
 */
final class ConsoleStreams {

    private final PrintStream out;
    private final PrintStream err;

    private ConsoleStreams(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static ConsoleStreams capture() {
        return new ConsoleStreams(System.out, System.err);
    }

    void restore() {
        if (System.out != out) {
            System.setOut(out);
        }
        if (System.err != err) {
            System.setErr(err);
        }
    }
}
