package dev.netmeta.local.runner.http;

import dev.netmeta.local.runner.manifest.HttpRoute;
import dev.netmeta.local.runner.manifest.ManifestReader;
import dev.netmeta.local.runner.manifest.ServerlessManifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CORS preflight answers what the deployed API Gateway answers for the manifest: the OPTIONS method the framework
 * compiles from the events' {@code cors} settings, never more permissive than configured.
 */
class CorsPreflightTest {

    private static final String DEFAULT_HEADERS =
            "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id";

    @TempDir
    Path dir;
    private ManifestApi api;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    /** The preflight is answered by API Gateway itself; a function that echoes shows when it is reached. */
    private void serve(ServerlessManifest manifest) throws Exception {
        api = new ManifestApi(manifest, dir, 10, 1);
    }

    private ServerlessManifest manifest(String yaml) throws Exception {
        return ManifestApi.read(dir, yaml);
    }

    private HttpResponse<String> options(String path, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Access-Control-Request-Method", "GET");
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theProjectsManifestAllowsItsConfiguredOriginAndOnlyGetAndOptions() throws Exception {
        Path project = Path.of(System.getProperty("netmeta.projectRoot", "..")).resolve("serverless.yml");
        ServerlessManifest manifest = new ManifestReader("local", "us-east-1", Map.of()).read(project);
        HttpRoute route = manifest.functions().get("api").httpRoutes().get(0);
        assertThat(route.cors().origin()).as("params.default.corsAllowOrigin").isEqualTo("*");
        serve(manifest);

        for (String origin : new String[]{"https://evil.example", "http://localhost:8080", null}) {
            HttpResponse<String> preflight = options("/metadata/search", origin);
            assertThat(preflight.statusCode()).isEqualTo(200);
            HttpHeaders h = preflight.headers();
            assertThat(h.allValues("Access-Control-Allow-Origin")).as("origin %s", origin).containsExactly("*");
            assertThat(h.allValues("Access-Control-Allow-Methods")).containsExactly("OPTIONS,GET");
            assertThat(h.allValues("Access-Control-Allow-Headers")).containsExactly(DEFAULT_HEADERS);
            assertThat(h.firstValue("Access-Control-Allow-Credentials")).isEmpty();
            assertThat(preflight.body()).as("the MOCK integration's empty template").isEmpty();
        }
        assertThat(options("/metadata/other", "https://evil.example").statusCode()).as("no route, no preflight")
                .isEqualTo(403);
    }

    @Test
    void aListOfOriginsEchoesOnlyAMatchingOrigin() throws Exception {
        serve(manifest("""
                service: svc
                functions:
                  f:
                    handler: a.B
                    events:
                      - http:
                          path: items
                          method: post
                          cors:
                            origins: ['https://app.example.org', 'https://*.example.net']
                            headers: [Content-Type, X-Api-Key]
                            allowCredentials: true
                            maxAge: 600
                """));
        HttpHeaders listed = options("/items", "https://app.example.org").headers();
        assertThat(listed.firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.org");
        assertThat(listed.firstValue("Access-Control-Allow-Methods")).hasValue("OPTIONS,POST");
        assertThat(listed.firstValue("Access-Control-Allow-Headers")).hasValue("Content-Type,X-Api-Key");
        assertThat(listed.firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(listed.firstValue("Access-Control-Max-Age")).hasValue("600");
        assertThat(options("/items", "https://eu.example.net").headers().firstValue("Access-Control-Allow-Origin"))
                .as("the wildcard of the list").hasValue("https://eu.example.net");
        assertThat(options("/items", "https://evil.example").headers().firstValue("Access-Control-Allow-Origin"))
                .as("not listed: the first configured origin, never the caller's").hasValue("https://app.example.org");
        assertThat(options("/items", "https://appXexample.org").headers().firstValue("Access-Control-Allow-Origin"))
                .as("a dot is a dot").hasValue("https://app.example.org");
    }

    @Test
    void methodsOfAllEventsOnAPathAreMergedAndAnAnyRouteDoesNotTakeThePreflight() throws Exception {
        serve(manifest("""
                service: svc
                functions:
                  f:
                    handler: a.B
                    events:
                      - http:
                          path: things
                          method: get
                          cors: true
                      - http:
                          path: things
                          method: delete
                          cors:
                            origin: https://admin.example
                      - http:
                          path: any/{proxy+}
                          method: any
                          cors: true
                """));
        HttpHeaders merged = options("/things", "https://evil.example").headers();
        assertThat(merged.firstValue("Access-Control-Allow-Methods")).hasValue("OPTIONS,DELETE,GET");
        assertThat(merged.firstValue("Access-Control-Allow-Origin")).as("the last event's origin")
                .hasValue("https://admin.example");
        HttpResponse<String> any = options("/any/x/y", "https://evil.example");
        assertThat(any.statusCode()).isEqualTo(200);
        assertThat(any.body()).as("answered by the preflight, not by the function").isEmpty();
        assertThat(any.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(any.headers().firstValue("Access-Control-Allow-Methods"))
                .hasValue("OPTIONS,DELETE,GET,HEAD,PATCH,POST,PUT");
    }
}
