package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.runner.events.Json;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What a user of the local runner has: its HTTP port, its FTP server and its S3 endpoint. The end-to-end tests drive
 * the runner through this only.
 */
final class RunnerClient {

    private static final long GIVE_UP_MILLIS = 10 * 60_000; // a guard against hanging forever, not a timing claim

    private final String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    RunnerClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode status() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/_local/status");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("status answered " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    JsonNode sync() throws IOException, InterruptedException {
        HttpResponse<String> r = post("/_local/sync");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("sync answered " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    /** Polls the status until the pipeline says it is idle, and returns that status. */
    JsonNode awaitIdle() throws IOException, InterruptedException {
        long giveUp = System.currentTimeMillis() + GIVE_UP_MILLIS;
        JsonNode status = status();
        while (!status.path("idle").asBoolean()) {
            if (System.currentTimeMillis() > giveUp) {
                throw new IllegalStateException("the pipeline did not become idle: " + status.toPrettyString());
            }
            Thread.sleep(500);
            status = status();
        }
        return status;
    }

    /**
     * Polls the status until the runner has delivered the object (the bucket watcher lists it), then until idle: an
     * object put straight into the bucket is not known to the status before that.
     */
    JsonNode awaitLoaded(String key) throws IOException, InterruptedException {
        long giveUp = System.currentTimeMillis() + GIVE_UP_MILLIS;
        while (status().path("objects").get(key) == null) {
            if (System.currentTimeMillis() > giveUp) {
                throw new IllegalStateException("the runner never delivered " + key);
            }
            Thread.sleep(500);
        }
        return awaitIdle();
    }

    /** GET /metadata/search through the runner's API Gateway, as curl would. */
    JsonNode search(String query, String... extra) throws IOException, InterruptedException {
        StringBuilder q = new StringBuilder("/metadata/search?q=").append(URLEncoder.encode(query, StandardCharsets.UTF_8));
        for (String e : extra) {
            q.append('&').append(e);
        }
        HttpResponse<String> r = get(q.toString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("search '" + query + "' answered " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    long count(String query) throws IOException, InterruptedException {
        refresh();
        JsonNode result = search(query, "size=1");
        JsonNode total = result.get("total");
        return total.isObject() ? total.get("value").asLong() : total.asLong();
    }

    /**
     * Makes what is indexed visible to searches now. OpenSearch does that by itself within its refresh interval
     * (1 s); the load function does not force it, so a test that counts right after the reports arrive asks for it.
     */
    void refresh() throws IOException, InterruptedException {
        String url = status().at("/servers/openSearch").asText();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("_refresh answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Exact number of documents in the daily indices of {@code prefix}, asked of the runner's OpenSearch. */
    long indexed(String prefix) throws IOException, InterruptedException {
        refresh();
        String url = status().at("/servers/openSearch").asText();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/" + prefix + "-*/_count")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("_count answered " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body()).get("count").asLong();
    }

    /**
     * Puts an object straight into the runner's bucket, as {@code aws s3 cp --endpoint-url …} would, with the keys the
     * status shows a user.
     */
    void putObject(String key, Path file) throws IOException, InterruptedException {
        JsonNode servers = status().at("/servers");
        JsonNode keys = servers.path("s3Credentials");
        S3Endpoint endpoint = new S3Endpoint(URI.create(servers.get("s3").asText()), keys.path("accessKeyId").asText(),
                keys.path("secretAccessKey").asText(), keys.path("region").asText());
        try (S3Client s3 = TestServers.s3Client(endpoint)) {
            s3.putObject(b -> b.bucket(servers.get("bucket").asText()).key(key), RequestBody.fromFile(file));
        }
    }

    /**
     * Uploads a file to the runner's FTP server and sets its modification time an hour back (MFMT), as a finished
     * file of a real server would be — younger files are skipped by the sync as "still being written".
     */
    void upload(Path file, String remoteName) throws IOException, InterruptedException {
        JsonNode ftp = status().at("/servers/ftp");
        FTPClient client = new FTPClient();
        client.connect(ftp.get("host").asText(), ftp.get("port").asInt());
        try {
            if (!client.login(ftp.get("user").asText(), LocalServers.FTP_PASSWORD)) {
                throw new IOException("FTP login refused: " + client.getReplyString());
            }
            client.enterLocalPassiveMode();
            client.setFileType(FTP.BINARY_FILE_TYPE);
            String[] parts = remoteName.split("/");
            StringBuilder dir = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                dir.append(i == 0 ? "" : "/").append(parts[i]);
                client.makeDirectory(dir.toString()); // refused when it exists, which is fine
            }
            try (InputStream in = Files.newInputStream(file)) {
                if (!client.storeFile(remoteName, in)) {
                    throw new IOException("FTP upload of " + remoteName + " failed: " + client.getReplyString());
                }
            }
            String hourAgo = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC)
                    .format(Instant.now().minusSeconds(3600));
            if (!client.setModificationTime(remoteName, hourAgo)) {
                throw new IOException("MFMT refused: " + client.getReplyString());
            }
        } finally {
            client.logout();
            client.disconnect();
        }
    }
}
