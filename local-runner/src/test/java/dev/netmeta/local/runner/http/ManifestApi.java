package dev.netmeta.local.runner.http;

import dev.netmeta.local.runner.invoke.FunctionLog;
import dev.netmeta.local.runner.invoke.LocalFunction;
import dev.netmeta.local.runner.invoke.TestHandlers;
import dev.netmeta.local.runner.manifest.FunctionDefinition;
import dev.netmeta.local.runner.manifest.ManifestReader;
import dev.netmeta.local.runner.manifest.ServerlessManifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A manifest's {@code http} routes served on a free port as the runner serves them (its GatewayResponse resources
 * included), every function a {@link TestHandlers.Api}: for the tests of what API Gateway itself answers.
 */
final class ManifestApi implements AutoCloseable {

    private final LocalHttpServer server;
    private final List<LocalFunction> functions = new ArrayList<>();

    /** {@code timeoutSeconds} and {@code concurrency}: of every function; logs go to {@code logDir}. */
    ManifestApi(ServerlessManifest manifest, Path logDir, int timeoutSeconds, int concurrency) throws IOException {
        this(manifest, logDir, timeoutSeconds, concurrency, ApiGatewayProxy.INTEGRATION_TIMEOUT_SECONDS);
    }

    /** As above, behind an integration timeout of {@code integrationTimeoutSeconds} instead of API Gateway's 29 s. */
    ManifestApi(ServerlessManifest manifest, Path logDir, int timeoutSeconds, int concurrency,
                int integrationTimeoutSeconds) throws IOException {
        server = new LocalHttpServer(0, true); // pages of other origins: the CORS emulation is what is tested
        List<ApiGatewayProxy.Route> routes = new ArrayList<>();
        manifest.functions().forEach((key, fn) -> {
            FunctionDefinition api = new FunctionDefinition(key, TestHandlers.Api.class.getName(), timeoutSeconds, 256,
                    Map.of(), List.of(), List.of(), List.of(), null, null);
            LocalFunction f = new LocalFunction(api, "netmeta-local-" + key, "us-east-1", Map.of(), concurrency,
                    new FunctionLog(logDir, key, null));
            functions.add(f);
            fn.httpRoutes().forEach(r -> routes.add(new ApiGatewayProxy.Route(r, f)));
        });
        server.attach(new ApiGatewayProxy(routes, manifest.gatewayResponses(), "local", integrationTimeoutSeconds), null, null);
    }

    /** The manifest {@code yaml}, written to {@code dir} and read as the runner reads it. */
    static ServerlessManifest read(Path dir, String yaml) throws IOException {
        Path file = dir.resolve("serverless.yml");
        Files.writeString(file, yaml);
        return new ManifestReader("local", "us-east-1", Map.of()).read(file);
    }

    /** Invocations running now, over every function (timed-out ones whose handler has not ended included). */
    int running() {
        return functions.stream().mapToInt(LocalFunction::running).sum();
    }

    String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public void close() {
        functions.forEach(f -> f.close(1_000));
        server.close();
    }
}
