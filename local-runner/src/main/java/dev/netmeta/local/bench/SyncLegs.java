package dev.netmeta.local.bench;

import dev.netmeta.local.server.EmbeddedFtp;
import dev.netmeta.local.server.EmbeddedS3;
import dev.netmeta.sync.SyncFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The two legs of a sync measured alone, with the same number of parallel streams as the sync: FTP download into a
 * null sink (commons-net, passive, binary) and S3 upload of the same bytes from local files (one PutObject per file,
 * with the S3 client configuration of the sync function).
 */
final class SyncLegs {

    private SyncLegs() {
    }

    /** Downloads every file (paths relative to the FTP root) and returns the bytes read. */
    static long ftpDownload(EmbeddedFtp ftp, List<String> paths, int streams) throws Exception {
        AtomicLong total = new AtomicLong();
        parallel(paths, streams, path -> {
            FTPClient c = new FTPClient();
            c.setBufferSize(256 * 1024);
            c.connect(ftp.host(), ftp.port());
            try {
                if (!c.login(ftp.user(), ftp.password())) {
                    throw new IOException("login failed: " + c.getReplyString());
                }
                c.setFileType(FTP.BINARY_FILE_TYPE);
                c.enterLocalPassiveMode();
                byte[] buf = new byte[256 * 1024];
                try (InputStream in = c.retrieveFileStream("/" + path)) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        total.addAndGet(n);
                    }
                }
                if (!c.completePendingCommand()) {
                    throw new IOException("transfer failed: " + c.getReplyString());
                }
                c.logout();
            } finally {
                c.disconnect();
            }
        });
        return total.get();
    }

    /** Uploads the local files to {@code bucket} and returns the bytes sent. */
    static long s3Upload(EmbeddedS3 s3, String bucket, Path root, List<String> paths, int streams) throws Exception {
        AtomicLong total = new AtomicLong();
        try (S3Client client = client(s3)) {
            parallel(paths, streams, path -> {
                Path file = root.resolve(path);
                client.putObject(b -> b.bucket(bucket).key("leg/" + path), RequestBody.fromFile(file));
                total.addAndGet(file.toFile().length());
            });
        }
        return total.get();
    }

    /** The same S3 client configuration the sync function builds (streaming bodies, unsigned payload over HTTP). */
    static S3Client client(EmbeddedS3 s3) {
        return SyncFactory.s3Client(Map.of(
                "AWS_ENDPOINT_URL_S3", s3.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", s3.accessKey(),
                "AWS_SECRET_ACCESS_KEY", s3.secretKey(),
                "AWS_REGION", s3.region()));
    }

    interface Task {
        void run(String path) throws Exception;
    }

    private static void parallel(List<String> paths, int streams, Task task) throws Exception {
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(paths);
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        try {
            Future<?>[] futures = new Future<?>[streams];
            for (int i = 0; i < streams; i++) {
                futures[i] = pool.submit(() -> {
                    String p;
                    while ((p = queue.poll()) != null) {
                        task.run(p);
                    }
                    return null;
                });
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
