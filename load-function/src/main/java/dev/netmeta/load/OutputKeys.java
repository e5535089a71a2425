package dev.netmeta.load;

import dev.netmeta.model.S3Keys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The keys of what the loader writes about an object: its report {@code <REPORTS_PREFIX><key>.json} and its rejects
 * {@code <REJECTS_PREFIX><key>.ndjson}, in the object's bucket. S3 keys are at most {@value #MAX_KEY_BYTES} UTF-8
 * bytes, the object's own key too, so a key near that limit leaves no room for the prefix and the suffix. Such a name
 * is <b>shortened</b>: {@code <prefix><head>~<hash><suffix>}, where {@code <hash>} is the first 32 hex digits of
 * SHA-256 of the full key (UTF-8) and {@code <head>} the longest start of the key (whole characters) that makes the
 * name exactly fit. Every other name is the plain concatenation, as it always was; the report ({@code key}) and every
 * rejects line ({@code source}) say the full key.
 *
 * <p>No two keys get one name (short of a SHA-256 collision): shortened names of two keys differ in their hash, and
 * a shortened name is more than {@value #MAX_KEY_BYTES} - 4 bytes long and ends in {@code ~<32 hex digits><suffix>};
 * a key whose plain name looks like that — one made to look like another key's shortened name — is shortened itself.
 */
public final class OutputKeys {

    /** S3's limit on a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = S3Keys.MAX_BYTES;
    /** The longest REPORTS_PREFIX/REJECTS_PREFIX: a shortened name keeps at least 472 bytes of the key's start. */
    public static final int MAX_PREFIX_BYTES = 512;
    public static final String REPORT_SUFFIX = ".json";
    public static final String REJECTS_SUFFIX = ".ndjson";

    static final char SEPARATOR = '~';
    static final int HASH_DIGITS = 32;
    /** A shortened name's head is cut at a character boundary: up to 3 bytes short of the limit. */
    private static final int SHORTENED_MIN_BYTES = MAX_KEY_BYTES - 3;

    private OutputKeys() {
    }

    /** {@code <reportsPrefix><key>.json}, shortened when that is too long for S3. */
    public static String report(String reportsPrefix, String key) {
        return of(reportsPrefix, key, REPORT_SUFFIX);
    }

    /** {@code <rejectsPrefix><key>.ndjson}, shortened when that is too long for S3. */
    public static String rejects(String rejectsPrefix, String key) {
        return of(rejectsPrefix, key, REJECTS_SUFFIX);
    }

    static String of(String prefix, String key, String suffix) {
        String plain = prefix + key + suffix;
        int bytes = S3Keys.utf8Length(plain);
        if (bytes <= MAX_KEY_BYTES && !(bytes >= SHORTENED_MIN_BYTES && endsWithHash(key))) {
            return plain;
        }
        int room = MAX_KEY_BYTES - S3Keys.utf8Length(prefix) - 1 - HASH_DIGITS - S3Keys.utf8Length(suffix);
        if (room < 0) {
            throw new IllegalArgumentException("the prefix " + prefix + " leaves no room for a key");
        }
        StringBuilder name = new StringBuilder(MAX_KEY_BYTES).append(prefix);
        int used = 0;
        for (int i = 0; i < key.length(); ) {
            int c = key.codePointAt(i);
            int n = utf8Length(c);
            if (used + n > room) {
                break;
            }
            name.appendCodePoint(c);
            used += n;
            i += Character.charCount(c);
        }
        return name.append(SEPARATOR).append(hash(key)).append(suffix).toString();
    }

    /**
     * Returns the prefix if shortened names keep room for the key: at most {@value #MAX_PREFIX_BYTES} UTF-8 bytes.
     *
     * @throws IllegalArgumentException naming the variable
     */
    public static String requireValidPrefix(String variable, String prefix) {
        if (S3Keys.utf8Length(prefix) > MAX_PREFIX_BYTES) {
            throw new IllegalArgumentException(variable + " must be at most " + MAX_PREFIX_BYTES + " bytes (UTF-8)");
        }
        return prefix;
    }

    /** The first {@value #HASH_DIGITS} hex digits of SHA-256 of the key (UTF-8), lower case. */
    static String hash(String key) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        StringBuilder hex = new StringBuilder(HASH_DIGITS);
        for (int i = 0; i < HASH_DIGITS / 2; i++) {
            hex.append(Character.forDigit(digest[i] >> 4 & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
        }
        return hex.toString();
    }

    /** Whether the key ends like a shortened name's head: {@code ~} and 32 lower-case hex digits. */
    private static boolean endsWithHash(String key) {
        int start = key.length() - HASH_DIGITS - 1;
        if (start < 0 || key.charAt(start) != SEPARATOR) {
            return false;
        }
        for (int i = start + 1; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }
}
