package dev.netmeta.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Deterministic document ids: the same record of the same object always gets the same id, so a re-delivered or
 * resumed load overwrites instead of duplicating. Id = base64url (no padding) of the first 16 bytes of
 * SHA-256({@code <bucket length> ":" bucket "/" key}) (UTF-8; the length makes the split unambiguous) + {@code "-"} + the record's position (e.g. line number), 22 + 1 + up to 19
 * characters: URL-safe and far below OpenSearch's 512-byte limit.
 */
public final class DocumentIds {
    private static final int HASH_BYTES = 16;

    /** The last object seen; loads go object by object, so this spares one hash per record. Immutable. */
    private static volatile ObjectPrefix last = new ObjectPrefix("", "", objectPrefix("", ""));

    private DocumentIds() {
    }

    /** The id of the record at {@code recordPosition} (≥ 0) of object {@code key} in {@code bucket}. */
    public static String of(String bucket, String key, long recordPosition) {
        ObjectPrefix p = last;
        if (!p.bucket.equals(bucket) || !p.key.equals(key)) {
            p = new ObjectPrefix(bucket, key, objectPrefix(bucket, key));
            last = p;
        }
        return of(p.prefix, recordPosition);
    }

    /** The object part of an id, computed once per object (for callers that want to hold it themselves). */
    public static String objectPrefix(String bucket, String key) {
        if (bucket == null || key == null) {
            throw new IllegalArgumentException("bucket and key are required for a document id");
        }
        byte[] digest = sha256().digest((bucket.length() + ":" + bucket + "/" + key).getBytes(StandardCharsets.UTF_8));
        byte[] head = new byte[HASH_BYTES];
        System.arraycopy(digest, 0, head, 0, HASH_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(head);
    }

    /** The id of the record at {@code recordPosition} of the object whose {@link #objectPrefix} is given. */
    public static String of(String objectPrefix, long recordPosition) {
        if (recordPosition < 0) {
            throw new IllegalArgumentException("record position must be >= 0, got " + recordPosition);
        }
        return objectPrefix + "-" + recordPosition;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static final class ObjectPrefix {
        final String bucket;
        final String key;
        final String prefix;

        ObjectPrefix(String bucket, String key, String prefix) {
            this.bucket = bucket;
            this.key = key;
            this.prefix = prefix;
        }
    }
}
