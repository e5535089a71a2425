package dev.netmeta.sync;

import dev.netmeta.local.testing.FtpEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/** One test's own FTP directory and bucket on the shared servers, and the sync environment pointing at them. */
final class SyncTestSetup {

    final Path ftpDir;
    final String remoteDir;
    final String bucket;
    final Map<String, String> env = new HashMap<>();

    SyncTestSetup(FtpEndpoint ftp, S3Endpoint s3, S3Client client) throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        remoteDir = "/sync-" + id;
        ftpDir = Files.createDirectories(ftp.rootDir().resolve("sync-" + id));
        bucket = "it-sync-" + id;
        client.createBucket(b -> b.bucket(bucket));
        env.putAll(ftp.env());
        env.putAll(s3.env());
        env.put("FTP_REMOTE_DIR", remoteDir);
        env.put("BUCKET", bucket);
        env.put("FTP_TIMEOUT_MS", "20000");
    }

    SyncTestSetup with(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The synced files: everything under raw/ (the function's own state object lives outside it). */
    List<S3Object> objects(S3Client s3) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("raw/")).contents().stream().toList();
    }

    /** Every key in the bucket. */
    List<String> allKeys(S3Client s3) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    List<MultipartUpload> pendingUploads(S3Client s3, String key) {
        return s3.listMultipartUploads(b -> b.bucket(bucket).prefix(key)).uploads();
    }
}
