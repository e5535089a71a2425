package dev.netmeta.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code npx osls package --stage <stage>} in the project root the way a user would, but without AWS: dummy
 * credentials, the STS stand-in for {@code ${aws:accountId}}, telemetry off. Installs the pinned CLI with
 * {@code npm ci} first when {@code node_modules} is missing.
 */
final class OslsPackager {

    /** Credentials osls gets; they must never show up in the generated template. */
    static final String DUMMY_ACCESS_KEY = "AKIAIOSFODNN7DUMMYCI";
    static final String DUMMY_SECRET_KEY = "dummy-secret-for-offline-packaging-only";

    private static final long MAX_MINUTES = 5;

    private final Path root;
    private final Path logDir;

    OslsPackager(Path root, Path logDir) {
        this.root = root;
        this.logDir = logDir;
    }

    /**
     * {@code npx osls package --stage <stage>} exactly as a user runs it: the generated templates land in the
     * project's {@code .serverless/} directory, which is returned.
     */
    Path packageStage(String stage, String stsEndpoint) throws IOException, InterruptedException {
        return packageStage(stage, stsEndpoint, root.resolve(".serverless"), Map.of());
    }

    /**
     * Packages the service into {@code out} (as {@code npx osls package --stage <stage> --package <out>
     * --param=name=value…}) and returns {@code out}, which then holds the generated templates.
     */
    Path packageStage(String stage, String stsEndpoint, Path out, Map<String, String> params)
            throws IOException, InterruptedException {
        Path npx = NodeTooling.require("npx");
        if (!Files.isDirectory(root.resolve("node_modules").resolve("osls"))) {
            Path npm = NodeTooling.require("npm");
            run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), Map.of(), "npm-ci.log");
        }
        Files.deleteIfExists(out.resolve("cloudformation-template-update-stack.json"));
        List<String> command = new ArrayList<>(List.of(npx.toString(), "--no-install", "osls", "package",
                "--stage", stage));
        if (!out.equals(root.resolve(".serverless"))) {
            command.addAll(List.of("--package", out.toString()));
        }
        params.forEach((name, value) -> command.add("--param=" + name + "=" + value));
        run(command, Map.of("AWS_ENDPOINT_URL_STS", stsEndpoint), "osls-package-" + out.getFileName().toString()
                .replace(".", "") + ".log");
        return out;
    }

    private void run(List<String> command, Map<String, String> extraEnv, String logName)
            throws IOException, InterruptedException {
        Path log = logDir.resolve(logName);
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", DUMMY_ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", DUMMY_SECRET_KEY);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("SLS_TELEMETRY_DISABLED", "1");
        env.put("SLS_NOTIFICATIONS_MODE", "off");
        env.putAll(extraEnv);
        Process process = builder.start();
        if (!process.waitFor(MAX_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + MAX_MINUTES
                    + " minutes; output:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code "
                    + process.exitValue() + "; output:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
