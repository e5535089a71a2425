package dev.netmeta.local.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds {@code serverless.yml}: in the working directory or above it, else above the runner's jar (the project root). */
final class ManifestLocator {

    private ManifestLocator() {
    }

    static Path find() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(ManifestLocator.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath());
        } catch (Exception e) {
            // not loaded from a file: only the working directory is searched
        }
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("serverless.yml");
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no serverless.yml found in " + starts.get(0) + " or above; run from the "
                + "project's root or give --manifest FILE (NETMETA_MANIFEST)");
    }
}
