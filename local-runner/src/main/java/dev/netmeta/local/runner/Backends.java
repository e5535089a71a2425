package dev.netmeta.local.runner;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The three servers the functions talk to, embedded or external, and how to reach them. Closing closes what the
 * runner started, newest first.
 */
public final class Backends implements AutoCloseable {

    public record OpenSearch(URI url, String username, String password, String description) {
    }

    public record S3(URI endpoint, String accessKey, String secretKey, String region, String description) {
    }

    /**
     * {@code trustStore} (the embedded FTPS server's, tests) or {@code trustedCert} (a PEM file, {@code
     * --ftp-trusted-cert}) replaces the JVM's CA certificates for an FTPS server; at most one is set.
     */
    public record Ftp(String host, int port, String user, String password, boolean tls, Path trustStore,
                      String trustStorePassword, Path trustedCert, String remoteDir, String description) {
    }

    private volatile OpenSearch openSearch;
    private volatile S3 s3;
    private volatile Ftp ftp;
    private final List<AutoCloseable> started = new ArrayList<>();

    public OpenSearch openSearch() {
        return openSearch;
    }

    public S3 s3() {
        return s3;
    }

    public Ftp ftp() {
        return ftp;
    }

    void openSearch(OpenSearch value, AutoCloseable server) {
        this.openSearch = value;
        track(server);
    }

    void s3(S3 value, AutoCloseable server) {
        this.s3 = value;
        track(server);
    }

    void ftp(Ftp value, AutoCloseable server) {
        this.ftp = value;
        track(server);
    }

    private synchronized void track(AutoCloseable server) {
        if (server != null) {
            started.add(server);
        }
    }

    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // keep closing the others
            }
        }
        started.clear();
    }
}
