package dev.netmeta.deploy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds Node's {@code npm}/{@code npx} on the PATH. Missing tools skip the deploy checks on a developer machine (with
 * a message saying how to enable them) but fail them in CI ({@code CI=true}), where skipping would hide a gap.
 */
final class NodeTooling {

    private NodeTooling() {
    }

    static Path require(String tool) {
        Optional<Path> found = onPath(tool);
        if (found.isPresent()) {
            return found.get();
        }
        String message = "'" + tool + "' (Node.js ^20.19, ^22.13 or >= 24, with npm) is not on the PATH: the serverless.yml checks"
                + " run `npx osls package`. Install it from https://nodejs.org (Debian 12's own nodejs is 18, too old),"
                + " or run .ci/run, which fetches a pinned Node.js 22 into .ci/.node when none is there.";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + " CI=true, so this is a failure, not a skip.");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    private static Optional<Path> onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
