package dev.netmeta.local.runner;

import dev.netmeta.local.server.EmbeddedFtp;
import dev.netmeta.local.server.EmbeddedOpenSearch;
import dev.netmeta.local.server.EmbeddedS3;
import dev.netmeta.local.server.FtpSettings;
import dev.netmeta.model.AwsRegion;
import dev.netmeta.model.Env;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Starts the servers the functions need on 127.0.0.1 — the embedded OpenSearch node, S3-compatible server and FTP
 * server, with their data under the data directory — or takes the external ones given by {@code --opensearch-url},
 * {@code --s3-endpoint}, {@code --ftp-url}.
 */
final class LocalServers {

    static final String FTP_USER = "netmeta";
    static final String FTP_PASSWORD = "netmeta";

    private LocalServers() {
    }

    static Backends start(RunnerOptions options, Map<String, String> processEnv, Progress progress) {
        Backends backends = new Backends();
        // the node takes most of the start time: S3 and FTP start meanwhile
        CompletableFuture<Void> openSearch = CompletableFuture.runAsync(() -> startOpenSearch(options, backends, progress));
        try {
            startS3(options, processEnv, backends);
            startFtp(options, backends);
            openSearch.join();
            return backends;
        } catch (RuntimeException e) {
            try {
                openSearch.join();
            } catch (RuntimeException ignored) {
                // the first failure is the one reported
            }
            backends.close();
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static void startOpenSearch(RunnerOptions options, Backends backends, Progress progress) {
        if (options.openSearchUrl() != null) {
            URI url = options.openSearchUrl();
            String[] credentials = userInfo(url);
            String user = credentials == null ? null : credentials[0];
            String password = credentials == null ? null : credentials[1];
            URI plain = URI.create(url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()));
            backends.openSearch(new Backends.OpenSearch(plain, user, password, plain + " (external)"), null);
            return;
        }
        Path dir = options.dataDir().resolve("opensearch");
        progress.line("starting OpenSearch (embedded, data in " + dir + ") ...");
        EmbeddedOpenSearch node = EmbeddedOpenSearch.start(dir);
        backends.openSearch(new Backends.OpenSearch(node.httpUri(), null, null, node.httpUri() + " (embedded)"), node);
    }

    /**
     * {@code [user, password]} of a URL's user info, percent-decoded (password "" when absent); null without one. A
     * {@code +} stays a {@code +}: it is an ordinary character in a URL's user info (RFC 3986), and {@link URLDecoder}
     * alone, which decodes form data, made it a space, so {@code ftp://u:a+b@host} logged in with the password
     * {@code "a b"} and failed every sync run.
     */
    static String[] userInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return null;
        }
        String[] parts = url.getRawUserInfo().split(":", 2);
        return new String[] {percentDecoded(parts[0]), parts.length > 1 ? percentDecoded(parts[1]) : ""};
    }

    private static String percentDecoded(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void startS3(RunnerOptions options, Map<String, String> processEnv, Backends backends) {
        if (options.s3Endpoint() != null) {
            backends.s3(externalS3(options.s3Endpoint(), processEnv), null);
            return;
        }
        EmbeddedS3 s3 = EmbeddedS3.start(options.dataDir().resolve("s3"));
        // fixed local keys, shown as the FTP password is: a user needs them to copy a file in with aws s3 cp
        backends.s3(new Backends.S3(s3.endpoint(), s3.accessKey(), s3.secretKey(), s3.region(),
                s3.endpoint() + " (embedded, objects in " + s3.dataDir() + ", access key '" + s3.accessKey()
                        + "', secret key '" + s3.secretKey() + "')"), s3);
    }

    /**
     * {@code --s3-endpoint}: the keys and the region from the runner's own environment, read as the functions read
     * them — blank is unset, so {@code AWS_REGION=} in a shell gives the default region, not a blank one the SDK
     * refuses.
     */
    static Backends.S3 externalS3(URI endpoint, Map<String, String> processEnv) {
        Env env = Env.of(processEnv);
        return new Backends.S3(endpoint, env.get("AWS_ACCESS_KEY_ID", null), env.get("AWS_SECRET_ACCESS_KEY", null),
                AwsRegion.of(env), endpoint + " (external)");
    }

    private static void startFtp(RunnerOptions options, Backends backends) {
        if (options.ftpUrl() != null) {
            URI url = options.ftpUrl();
            boolean tls = "ftps".equalsIgnoreCase(url.getScheme());
            String[] credentials = userInfo(url);
            String user = credentials == null ? "anonymous" : credentials[0];
            String password = credentials == null ? "" : credentials[1];
            String dir = url.getPath() == null || url.getPath().isEmpty() ? "/" : url.getPath();
            String shown = url.getScheme() + "://" + user + "@" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + dir;
            Path trustedCert = options.ftpTrustedCert();
            backends.ftp(new Backends.Ftp(url.getHost(), url.getPort() < 0 ? 21 : url.getPort(), user, password, tls,
                    null, null, trustedCert, dir, shown + " (external" + (trustedCert == null ? ""
                            : ", trusting the certificates in " + trustedCert) + ")"), null);
            return;
        }
        EmbeddedFtp ftp = EmbeddedFtp.start(FtpSettings.of(options.effectiveFtpRoot(), FTP_USER, FTP_PASSWORD));
        backends.ftp(new Backends.Ftp(ftp.host(), ftp.port(), ftp.user(), ftp.password(), false, null, null, null, "/",
                "ftp://" + ftp.user() + "@" + ftp.host() + ":" + ftp.port() + "/ (embedded, password '" + FTP_PASSWORD
                        + "', serving " + ftp.rootDir() + ")"), ftp);
    }
}
