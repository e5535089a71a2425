package dev.netmeta.local.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.netmeta.local.server.EmbeddedFtp;
import dev.netmeta.local.server.EmbeddedOpenSearch;
import dev.netmeta.local.server.EmbeddedS3;
import dev.netmeta.local.server.FtpSettings;

/**
 * The default back-end of the integration tests: the embedded servers of {@code dev.netmeta.local.server}, with their
 * data in fresh directories under {@code target/it-servers/} (removed when the test JVM ends; {@code mvn clean}
 * removes what a killed run left behind).
 */
final class EmbeddedBackend {

    static final String FTP_USER = "netmeta";
    static final String FTP_PASSWORD = "netmeta-ftp-secret";

    private EmbeddedBackend() {
    }

    static RunningServer<OpenSearchEndpoint> openSearch() {
        Path dir = freshDir("opensearch-");
        long started = System.nanoTime();
        EmbeddedOpenSearch node = EmbeddedOpenSearch.start(dir);
        report("OpenSearch", node.httpUri(), started);
        return new RunningServer<>(new OpenSearchEndpoint(node.httpUri()), () -> {
            node.close();
            delete(dir);
        });
    }

    static RunningServer<S3Endpoint> s3() {
        Path dir = freshDir("s3-");
        long started = System.nanoTime();
        EmbeddedS3 s3 = EmbeddedS3.start(dir);
        report("S3 (s3proxy)", s3.endpoint(), started);
        S3Endpoint endpoint = new S3Endpoint(s3.endpoint(), s3.accessKey(), s3.secretKey(), s3.region());
        return new RunningServer<>(endpoint, () -> {
            s3.close();
            delete(dir);
        });
    }

    static RunningServer<FtpEndpoint> ftp() {
        Path dir = freshDir("ftp-");
        long started = System.nanoTime();
        EmbeddedFtp ftp = EmbeddedFtp.start(FtpSettings.of(dir, FTP_USER, FTP_PASSWORD).withFtps(true));
        report("FTP+FTPS", URI.create("ftp://" + ftp.host() + ":" + ftp.port()), started);
        FtpEndpoint endpoint = new FtpEndpoint(ftp.host(), ftp.port(), ftp.user(), ftp.password(), ftp.rootDir(),
                ftp.trustStore(), ftp.trustStorePassword());
        return new RunningServer<>(endpoint, () -> {
            ftp.close();
            delete(dir);
        });
    }

    private static void report(String server, URI uri, long startedNanos) {
        System.out.printf("[TestServers] embedded %s up at %s in %d ms%n", server, uri,
                (System.nanoTime() - startedNanos) / 1_000_000);
    }

    private static Path freshDir(String prefix) {
        Path base = Path.of(System.getProperty("netmeta.it.workDir", "target/it-servers")).toAbsolutePath();
        try {
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a server directory under " + base, e);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
