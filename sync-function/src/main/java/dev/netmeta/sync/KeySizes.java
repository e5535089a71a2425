package dev.netmeta.sync;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * What one bucket listing found: the sizes of the keys the caller asked about, and how far the listing got. S3
 * lists keys in UTF-8 binary order, so a listing stopped after {@code listedThrough} still decides every key up to
 * that one: a key not found there is absent. Keys after it are undecided.
 *
 * @param sizes         key → size, only for keys the caller asked about
 * @param complete      the listing covered every key the caller asked about
 * @param listedThrough the last key listed (any key, asked about or not); {@code null} when nothing was listed
 */
public record KeySizes(Map<String, Long> sizes, boolean complete, String listedThrough) {

    public KeySizes {
        sizes = Map.copyOf(sizes);
    }

    public static KeySizes complete(Map<String, Long> sizes) {
        return new KeySizes(sizes, true, null);
    }

    /** Whether the listing reached this key: then {@code sizes} tells reliably whether it exists. */
    public boolean covers(String key) {
        return complete || (listedThrough != null && compareUtf8(key, listedThrough) <= 0);
    }

    /** S3's key order: unsigned comparison of the UTF-8 bytes (differs from {@link String#compareTo} above U+FFFF). */
    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
