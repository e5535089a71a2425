package dev.netmeta.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root (where serverless.yml lives), as failsafe passes it in {@code netmeta.projectRoot}. */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    public static Path get() {
        String configured = System.getProperty("netmeta.projectRoot");
        Path root = (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("serverless.yml"))) {
            throw new IllegalStateException("No serverless.yml in " + root
                    + " — run the ITs through Maven (failsafe sets -Dnetmeta.projectRoot)");
        }
        return root;
    }

    /** A scratch directory for one test class under local-runner/target. */
    static Path scratch(String name) throws java.io.IOException {
        Path dir = get().resolve("local-runner").resolve("target").resolve("deploy-it").resolve(name);
        Files.createDirectories(dir);
        return dir;
    }
}
