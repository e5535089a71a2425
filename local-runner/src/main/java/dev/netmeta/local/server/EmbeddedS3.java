package dev.netmeta.local.server;

import java.net.URI;
import java.nio.file.Path;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3-compatible server inside this JVM: s3proxy 4.1 with its filesystem back-end, on 127.0.0.1 with a free port,
 * AWS signature V2 or V4 with a fixed key pair. Keys longer than S3's 1,024 bytes are refused as S3 refuses them
 * ({@link KeyLengthLimit}; s3proxy itself has no limit).
 *
 * <p>Buckets are directories under the data directory and objects are files, so a restart on the same directory keeps
 * them. Multipart uploads (Create/UploadPart/Complete, ListMultipartUploads, AbortMultipartUpload) are supported by
 * the filesystem back-end; see {@code EmbeddedS3IT}.
 *
 * <p>Clients: path-style addressing, and {@code requestChecksumCalculation(WHEN_REQUIRED)} +
 * {@code responseChecksumValidation(WHEN_REQUIRED)}. Since 2.30 the AWS SDK v2 by default computes a CRC32 for every
 * upload (sent as a trailing checksum in an {@code aws-chunked} body) and validates response checksums. s3proxy 4.1.0
 * itself accepts those defaults (checked here: PutObject from bytes and from a stream, multipart, all byte-exact), but
 * S3 stand-ins, and versions of them, differ in how much of that "flexible checksums" protocol (trailers, CRC
 * variants, checksum headers in responses) they understand. With WHEN_REQUIRED the client
 * adds a checksum only where the API demands one (e.g. DeleteObjects) and sends plain signed bodies, which every
 * S3 implementation accepts; the functions use the same setting so that one client configuration works against AWS,
 * s3proxy and MinIO.
 *
 * <p>The sync function asks for its own CRC32C on every upload (docs/SYNC.md "Checksums"). s3proxy 4.1.0 checks a
 * checksum sent as a header ({@code x-amz-checksum-crc32c} on PutObject and UploadPart, a FULL_OBJECT one on
 * CompleteMultipartUpload), refuses a mismatch ({@code BadDigest}) and keeps it for GetObject/HeadObject with
 * checksum mode; a checksum sent as an {@code aws-chunked} trailer (the sync's streamed PUT) it accepts but neither
 * checks nor keeps — it reads such a body only up to {@code x-amz-decoded-content-length} ({@code SyncChecksumIT}).
 */
public final class EmbeddedS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "netmeta-local";
    public static final String SECRET_KEY = "netmeta-local-secret";
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final URI endpoint;
    private final Path dataDir;
    private final boolean deleteOnClose;

    private EmbeddedS3(S3Proxy proxy, URI endpoint, Path dataDir, boolean deleteOnClose) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts a server keeping buckets and objects in {@code dataDir} (created if missing, reused if present). */
    public static EmbeddedS3 start(Path dataDir) {
        return start(dataDir.toAbsolutePath(), false);
    }

    /** Starts a server on a fresh temporary directory, deleted again on {@link #close()}. */
    public static EmbeddedS3 start() {
        return start(Directories.createTemp("netmeta-s3"), true);
    }

    /**
     * Starts a server on a fresh temporary directory in {@code parent} (not the system's temporary directory, which
     * may be too small for a benchmark's data), deleted again on {@link #close()}.
     */
    public static EmbeddedS3 startTemporary(Path parent) {
        return start(Directories.createTemp(parent, "s3"), true);
    }

    private static EmbeddedS3 start(Path dataDir, boolean deleteOnClose) {
        Directories.create(dataDir);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new KeyLengthLimit(new FilesystemNio2BlobStore(dataDir.toString())))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // The SDK sends headers s3proxy does not know (e.g. on CompleteMultipartUpload); strict mode answers 501.
                .ignoreUnknownHeaders(true)
                .build();
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                if ("FAILED".equals(proxy.getState())) {
                    throw new IllegalStateException("s3proxy reported FAILED");
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(proxy);
            throw new IllegalStateException("interrupted while starting s3proxy", e);
        } catch (Exception e) {
            stopQuietly(proxy);
            throw new IllegalStateException("s3proxy failed to start on " + dataDir + ": " + e.getMessage(), e);
        }
        return new EmbeddedS3(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()), dataDir, deleteOnClose);
    }

    /** {@code http://127.0.0.1:<port>} — use path-style access. */
    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    /** Buckets are the directories in here. */
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        stopQuietly(proxy);
        if (deleteOnClose) {
            Directories.deleteRecursively(dataDir);
        }
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            System.err.println("s3proxy did not stop cleanly: " + e.getMessage());
        }
    }
}
