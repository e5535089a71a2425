package dev.netmeta.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Proves the smoke-test harness itself (Runtime API stand-in + the real runtime client in its own JVM) with a
 * handler compiled here: an answer reaches the stand-in with the Lambda context filled from its headers, and a
 * thrown exception arrives as an error with the runtime's error type — so a passing smoke test means something.
 */
class LambdaRuntimeHarnessIT {

    private static final String HANDLER_SOURCE = """
            package harness;

            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.util.LinkedHashMap;
            import java.util.Map;

            public class EchoHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                @Override
                public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                    if (event.containsKey("fail")) {
                        throw new IllegalStateException("asked to fail: " + event.get("fail"));
                    }
                    Map<String, Object> answer = new LinkedHashMap<>(event);
                    answer.put("requestId", context.getAwsRequestId());
                    answer.put("functionArn", context.getInvokedFunctionArn());
                    answer.put("timeLeft", context.getRemainingTimeInMillis() > 0);
                    answer.put("greeting", System.getenv("GREETING"));
                    answer.put("cwd", System.getProperty("user.dir"));
                    return answer;
                }
            }
            """;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void answersAndErrorsTravelThroughTheRealRuntimeClient(@TempDir Path tmp) throws Exception {
        Path jar = compileHandlerJar(tmp.resolve("build"));
        String arn = "arn:aws:lambda:us-east-1:123456789012:function:harness";
        Path task = Files.createDirectories(tmp.resolve("task"));
        try (LambdaRuntimeApiStandIn api = LambdaRuntimeApiStandIn.start(arn);
                LambdaRuntimeProcess runtime = LambdaRuntimeProcess.start(jar, "harness.EchoHandler::handleRequest",
                        "harness", Map.of("GREETING", "hello"), api.address(), task)) {

            LambdaRuntimeApiStandIn.Answer ok = api.invoke("{\"value\":42}", 60_000).get(2, TimeUnit.MINUTES);
            assertThat(ok.error()).as(runtime.output()).isFalse();
            JsonNode body = json.readTree(ok.body());
            assertThat(body.path("value").asInt()).isEqualTo(42);
            assertThat(body.path("requestId").asText()).isEqualTo(ok.requestId());
            assertThat(body.path("functionArn").asText()).isEqualTo(arn);
            assertThat(body.path("timeLeft").asBoolean()).isTrue();
            assertThat(body.path("greeting").asText()).isEqualTo("hello");
            assertThat(Path.of(body.path("cwd").asText()).toRealPath()).isEqualTo(task.toRealPath());

            LambdaRuntimeApiStandIn.Answer failed = api.invoke("{\"fail\":\"on purpose\"}", 60_000)
                    .get(2, TimeUnit.MINUTES);
            assertThat(failed.error()).isTrue();
            assertThat(failed.errorType()).isEqualTo("Runtime.UserException");
            JsonNode error = json.readTree(failed.body());
            assertThat(error.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
            assertThat(error.path("errorMessage").asText()).isEqualTo("asked to fail: on purpose");

            assertThat(runtime.isAlive()).as("one runtime serves invocation after invocation").isTrue();
        }
    }

    @Test
    void aWrongHandlerStringIsReportedAsAnInitialisationError(@TempDir Path tmp) throws Exception {
        Path jar = compileHandlerJar(tmp.resolve("build"));
        Path task = Files.createDirectories(tmp.resolve("task"));
        try (LambdaRuntimeApiStandIn api = LambdaRuntimeApiStandIn.start("arn:aws:lambda:us-east-1:1:function:x");
                LambdaRuntimeProcess runtime = LambdaRuntimeProcess.start(jar, "harness.NoSuchHandler", "x",
                        Map.of(), api.address(), task)) {
            LambdaRuntimeApiStandIn.Answer answer = api.invoke("{}", 60_000).get(2, TimeUnit.MINUTES);
            assertThat(answer.error()).isTrue();
            assertThat(answer.body()).as(runtime.output()).contains("harness.NoSuchHandler");
        }
    }

    private static Path compileHandlerJar(Path dir) throws IOException {
        Path sources = Files.createDirectories(dir.resolve("src/harness"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(sources.resolve("EchoHandler.java"), HANDLER_SOURCE);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        String coreJar;
        try {
            coreJar = Path.of(Context.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        int status = compiler.run(null, null, null, "-classpath", coreJar, "-d", classes.toString(),
                sources.resolve("EchoHandler.java").toString());
        assertThat(status).as("javac of the harness handler").isZero();
        Path jar = dir.resolve("harness.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : List.of("harness/EchoHandler.class")) {
                out.putNextEntry(new JarEntry(name));
                out.write(Files.readAllBytes(classes.resolve(name)));
                out.closeEntry();
            }
        }
        assertThat(Files.size(jar)).isPositive();
        return jar;
    }
}
