package dev.netmeta.local.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
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

    /**
     * A new temporary class directory holding only {@code main} (a class without nested classes), so that a function's
     * JVM can run its shaded jar and nothing else, as Lambda does: {@code -cp <function.jar>:<this directory>}.
     */
    static Path classDirWith(Class<?> main) throws IOException {
        Path dir = Files.createTempDirectory("netmeta-bench-main");
        Path file = dir.resolve(main.getName().replace('.', '/') + ".class");
        Files.createDirectories(file.getParent());
        try (InputStream in = main.getResourceAsStream(main.getSimpleName() + ".class")) {
            Files.copy(in, file);
        }
        return dir;
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
