package dev.netmeta.model;

/**
 * S3's limit on object keys, which every function that writes objects must respect: the sync (the raw files' keys),
 * the loader (the names of its reports and rejects) and the local runner's S3 stand-in, which enforces it as S3 does.
 */
public final class S3Keys {

    /** The longest S3 key, in UTF-8 bytes. */
    public static final int MAX_BYTES = 1024;

    private S3Keys() {
    }

    /** The length of {@code s} in UTF-8 bytes, without encoding it (an unpaired surrogate counts 3 bytes, on the safe side). */
    public static int utf8Length(CharSequence s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Whether S3 takes {@code key} as it is: at most {@value #MAX_BYTES} bytes of UTF-8. */
    public static boolean fits(CharSequence key) {
        return key.length() <= MAX_BYTES / 3 || utf8Length(key) <= MAX_BYTES;
    }
}
