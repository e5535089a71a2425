package dev.netmeta.load.format;

/**
 * Input is decoded as UTF-8 with malformed bytes replaced by U+FFFD; a row that contains the replacement
 * character is rejected ("invalid UTF-8") instead of being indexed with mangled text.
 */
final class InvalidUtf8 {

    static final char REPLACEMENT = '\uFFFD';
    static final String REASON = "invalid UTF-8 byte sequence";

    private InvalidUtf8() {
    }

    static boolean in(String value) {
        return value != null && value.indexOf(REPLACEMENT) >= 0;
    }

    static boolean inAny(String[] values) {
        for (String v : values) {
            if (in(v)) {
                return true;
            }
        }
        return false;
    }
}
