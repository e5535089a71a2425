package dev.netmeta.load.format;

/**
 * Finds the records holding malformed UTF-8 of one input, from the marks {@link Utf8Reader} puts where the decoder
 * reported malformed bytes. Records are only searched while the decoder has reported more than was found so far,
 * so clean input costs one comparison per record. Every text read must pass through here (records, skipped
 * records, header lines) to keep the count in step.
 */
final class InvalidUtf8 {

    static final String REASON = Utf8Reader.REASON;

    private final Utf8Reader decoder;
    private long found;

    InvalidUtf8(Utf8Reader decoder) {
        this.decoder = decoder;
    }

    boolean in(String text) {
        if (decoder.malformed() == found || text == null) {
            return false;
        }
        int n = Utf8Reader.count(text);
        found += n;
        return n > 0;
    }

    boolean inAny(Iterable<String> values) {
        if (decoder.malformed() == found) {
            return false;
        }
        boolean any = false;
        for (String v : values) {
            any |= in(v);
        }
        return any;
    }

    /** The text as people should see it in the rejects: malformed marks shown as U+FFFD. */
    static String readable(String text) {
        return Utf8Reader.readable(text);
    }
}
