package dev.netmeta.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;

/** File helpers for the sync tests: incompressible content, old modification times, SHA-256 of both sides. */
final class SyncFiles {

    /** The {@code -<uuid>} after the key in the name of s3proxy's temporary file for a PUT. */
    private static final Pattern UUID_SUFFIX = Pattern.compile(
            "-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private SyncFiles() {
    }

    /**
     * Whether {@code objectKey} is what s3proxy's filesystem back-end leaves of a PUT of {@code key} cut mid-body: its
     * temporary file, listed as an object {@code <key>-<uuid>}. It holds whatever part of the body the server had
     * written when the connection broke — 0 bytes or more, by timing — so only its name identifies it. S3 itself
     * stores nothing of such a PUT (docs/SYNC.md, step 6).
     */
    static boolean isCutPutLeftover(String objectKey, String key) {
        return objectKey.startsWith(key) && UUID_SUFFIX.matcher(objectKey.substring(key.length())).matches();
    }

    /** Writes {@code size} pseudo-random (incompressible) bytes, aged so the minimum-age rule lets them through. */
    static Path write(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                for (int i = 0; i < buf.length; i += 8) {
                    long r = random.nextLong();
                    for (int j = 0; j < 8 && i + j < buf.length; j++) {
                        buf[i + j] = (byte) (r >>> (8 * j));
                    }
                }
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
        age(file, 3600);
        return file;
    }

    static void age(Path file, long seconds) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(seconds)));
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    static String sha256(S3Client s3, String bucket, String key) throws IOException {
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            return sha256(in);
        }
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) >= 0) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
