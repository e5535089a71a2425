package dev.netmeta.deploy;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One function started the way AWS Lambda's Java runtime starts it: a separate JVM running the AWS Lambda Java
 * Runtime Interface Client ({@code AWSLambda <handler>}) against a Runtime API, with the deployment jar in
 * {@code <task>/lib/} and {@code <task>} as working directory (where the client loads function code from, like
 * {@code /var/task}). The JVM's class path holds only the runtime client and its own dependencies, so every class
 * of the function must come from the shaded jar — exactly what a missing shade or a wrong handler string breaks.
 */
final class LambdaRuntimeProcess implements AutoCloseable {

    static final String RUNTIME_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /** Classes whose jars make up the runtime client's own class path (the client and its dependencies). */
    private static final List<String> RUNTIME_CLASSES = List.of(RUNTIME_MAIN,
            "com.amazonaws.services.lambda.runtime.Context",
            "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
            "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");

    private final Process process;
    private final Path log;

    private LambdaRuntimeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * @param taskDir empty scratch directory; the jar is copied to {@code taskDir/lib/}
     * @param environment the function's own environment (as serverless.yml would set it)
     */
    static LambdaRuntimeProcess start(Path jar, String handler, String functionName, Map<String, String> environment,
            String runtimeApi, Path taskDir) throws IOException {
        Path lib = Files.createDirectories(taskDir.resolve("lib"));
        Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path log = taskDir.resolve("runtime.log");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // What Lambda's java21 launcher sets that matters here: serial GC, bounded heap, UTF-8.
        command.addAll(List.of("-XX:+UseSerialGC", "-Xmx256m", "-Dfile.encoding=UTF-8",
                "-cp", runtimeClassPath(), RUNTIME_MAIN, handler));
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear();
        if (path != null) {
            env.put("PATH", path);
        }
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("_HANDLER", handler);
        env.put("LAMBDA_TASK_ROOT", taskDir.toString());
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local/[$LATEST]smoke");
        env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        env.put("AWS_LAMBDA_LOG_LEVEL", "INFO");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("TZ", ":UTC");
        env.putAll(environment);
        return new LambdaRuntimeProcess(builder.start(), log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the function and the runtime client printed so far. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static String runtimeClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String className : RUNTIME_CLASSES) {
            try {
                Class<?> type = Class.forName(className, false, LambdaRuntimeProcess.class.getClassLoader());
                entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (ClassNotFoundException | URISyntaxException e) {
                throw new IllegalStateException("runtime client class " + className + " not on the test class path"
                        + " (com.amazonaws:aws-lambda-java-runtime-interface-client, test scope in local-runner)", e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Stops the runtime's JVM (as Lambda does when it retires an execution environment). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
