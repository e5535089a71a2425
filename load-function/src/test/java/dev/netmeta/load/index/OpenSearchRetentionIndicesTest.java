package dev.netmeta.load.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.netmeta.load.RetentionIndices;
import dev.netmeta.model.Env;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the retention's DELETE reads OpenSearch's answers (a stand-in server on 127.0.0.1). */
class OpenSearchRetentionIndicesTest {

    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> body = new AtomicReference<>("{\"acknowledged\":true}");
    private OpenSearchRetentionIndices indices;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        indices = new OpenSearchRetentionIndices(OpenSearchConnection.generic(OpenSearchConnection.transport(
                new Env(Map.of("OPENSEARCH_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                        "OPENSEARCH_AUTH", "none")), null, null, null, Duration.ofSeconds(5))));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anIndexBeingSnapshottedIsBusyNotFailed() {
        status.set(400);
        body.set("{\"error\":{\"root_cause\":[{\"type\":\"snapshot_in_progress_exception\",\"reason\":\"Cannot delete"
                + " indices that are being snapshotted: [[metadata-2020.01.01/x]]. Try again after snapshot finishes"
                + " or cancel the currently running snapshot.\"}],\"type\":\"snapshot_in_progress_exception\"},"
                + "\"status\":400}");
        assertThatThrownBy(() -> indices.delete("metadata-2020.01.01"))
                .isInstanceOf(RetentionIndices.BusyException.class)
                .hasMessageContaining("HTTP 400").hasMessageContaining("being snapshotted");
    }

    @Test
    void anotherRefusalIsAFailureAndGoneAlreadyIsDeleted() throws IOException {
        status.set(403);
        body.set("{\"Message\":\"User: arn:aws:sts::1:assumed-role/r is not authorized\"}");
        assertThatThrownBy(() -> indices.delete("metadata-2020.01.01"))
                .isInstanceOf(IOException.class).isNotInstanceOf(RetentionIndices.BusyException.class);
        status.set(404);
        body.set("{\"error\":{\"type\":\"index_not_found_exception\"},\"status\":404}");
        indices.delete("metadata-2020.01.01");
        status.set(200);
        body.set("{\"acknowledged\":true}");
        indices.delete("metadata-2020.01.01");
        assertThat(status.get()).isEqualTo(200);
    }
}
