package dev.netmeta.local.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options of Lambda's {@code java21} runtime (the manifest's runtime), for benchmark JVMs that stand for a
 * function: "for Java 17 and Java 21, Lambda configures the JVM to stop tiered compilation at level 1" (C1 only), and
 * the runtime uses the serial garbage collector — AWS Lambda Developer Guide, "Customize Java runtime startup
 * behavior". A benchmark with the JVM's own defaults (C2, G1 on a 2-core box) would measure another program.
 */
final class LambdaJvm {

    static final List<String> OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private LambdaJvm() {
    }

    /** {@code java} of this JVM's installation, the Lambda options, then {@code extra}. */
    static List<String> command(List<String> extra) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(OPTIONS);
        command.addAll(extra);
        return command;
    }
}
