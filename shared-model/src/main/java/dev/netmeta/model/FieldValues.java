package dev.netmeta.model;

import java.util.OptionalLong;
import java.util.Locale;

/**
 * Normalisation of raw field values. Static, stateless and thread-safe. The common forms are parsed by hand
 * (no regex, no exceptions on good input); {@code java.time} formatters are only a fallback for rare timestamp forms.
 * Rules and their reasons: {@code docs/DATA-CONTRACT.md}.
 */
public final class FieldValues {

    /** The earliest timestamp the contract accepts (0000-01-01T00:00:00Z) in epoch milliseconds. */
    public static final long MIN_TIMESTAMP_MILLIS = Timestamps.MIN_MILLIS;
    /** The latest timestamp the contract accepts (9999-12-31T23:59:59.999Z) in epoch milliseconds. */
    public static final long MAX_TIMESTAMP_MILLIS = Timestamps.MAX_MILLIS;

    private static final String[] PROTOCOLS = new String[256];

    static {
        String[][] names = {
                {"0", "hopopt"}, {"1", "icmp"}, {"2", "igmp"}, {"3", "ggp"}, {"4", "ipv4"}, {"5", "st"},
                {"6", "tcp"}, {"8", "egp"}, {"9", "igp"}, {"17", "udp"}, {"27", "rdp"}, {"33", "dccp"},
                {"41", "ipv6"}, {"43", "ipv6-route"}, {"44", "ipv6-frag"}, {"46", "rsvp"}, {"47", "gre"},
                {"50", "esp"}, {"51", "ah"}, {"58", "ipv6-icmp"}, {"59", "ipv6-nonxt"}, {"60", "ipv6-opts"},
                {"88", "eigrp"}, {"89", "ospf"}, {"94", "ipip"}, {"97", "etherip"}, {"98", "encap"},
                {"103", "pim"}, {"108", "ipcomp"}, {"112", "vrrp"}, {"115", "l2tp"}, {"124", "isis"},
                {"132", "sctp"}, {"135", "mobility-header"}, {"136", "udplite"}, {"137", "mpls-in-ip"},
                {"139", "hip"}, {"140", "shim6"}, {"142", "rohc"}, {"143", "ethernet"}};
        for (String[] n : names) {
            PROTOCOLS[Integer.parseInt(n[0])] = n[1];
        }
    }

    private FieldValues() {
    }

    /**
     * Parses a timestamp to UTC epoch milliseconds (sub-millisecond digits are truncated). Accepted:
     * <ul>
     * <li>plain numbers (optionally with a fraction): the unit follows from the integer part's magnitude —
     * below 10^11 epoch seconds (Zeek {@code 1525876221.123456}), below 10^14 epoch millis, below 10^17 epoch
     * micros, else epoch nanos; negative numbers are rejected;</li>
     * <li>ISO-8601 {@code yyyy-MM-dd[(T| )HH:mm[:ss[(.|,)f{1,9}]]][ ][Z|±HH[:]mm|±HH]}, no zone = UTC;</li>
     * <li>CICFlowMeter {@code d/M/yyyy h:mm[:ss] AM|PM} and {@code d/M/yyyy H:mm[:ss]} (day first);</li>
     * <li>fallbacks: ISO zoned with a region ({@code [Europe/Paris]}), RFC 1123, {@code yyyy/MM/dd HH:mm:ss[.f]},
     * {@code dd-MMM-yyyy HH:mm:ss}.</li>
     * </ul>
     *
     * @throws InvalidValueException if the value is none of these or names an impossible date
     */
    public static long parseTimestamp(String value) {
        return Timestamps.parse(value);
    }

    /**
     * Only the hand-written ISO-8601 form of {@link #parseTimestamp}: {@code yyyy-MM-dd}, optionally {@code T} (or a
     * space) {@code HH:mm[:ss[.f]]}, optionally {@code Z} or an offset ({@code +HH}, {@code +HHmm}, {@code +HH:mm});
     * no zone = UTC. Empty if the text has another shape.
     *
     * @throws InvalidValueException if it has this shape but names an impossible date, time or offset
     */
    public static OptionalLong parseIsoTimestamp(String value) {
        return Timestamps.parseIsoOnly(value);
    }

    /** ISO-8601 in UTC with milliseconds, e.g. {@code 2018-05-09T14:30:21.123Z}. */
    public static String formatTimestamp(long epochMillis) {
        return Timestamps.format(epochMillis);
    }

    /**
     * Validates an IPv4 or IPv6 literal and returns its canonical text: IPv4 dotted decimal without leading
     * zeros (zero-padded octets are read as decimal), IPv6 per RFC 5952 (lower case, longest zero run as
     * {@code ::}), IPv4-mapped IPv6 ({@code ::ffff:1.2.3.4}) as the IPv4 address. No DNS lookup ever happens.
     * Zone ids ({@code fe80::1%eth0}), brackets, prefixes and host names are rejected.
     */
    public static String normalizeIp(String value) {
        return IpAddresses.normalize(value);
    }

    // ------------------------------------------------------------------ numbers

    /** A port 0–65535 (decimal digits, or with a zero fraction such as {@code 443.0}; surrounding blanks ignored). */
    public static int parsePort(String value) {
        long v = parseDigits(value, 5);
        if (v < 0 || v > 65535) {
            throw new InvalidValueException("port", value, "not a port number (0-65535)");
        }
        return (int) v;
    }

    /**
     * A signed decimal long (surrounding blanks ignored; a zero fraction such as {@code 1234.0} is accepted); overflow
     * and anything else is invalid. A whole number
     * beyond the long range gets its own reason: calling {@code 99999999999999999999} "not a whole number" would
     * send the user looking for a typo instead of at the counter's size.
     */
    public static long parseLong(String value) {
        if (value != null) {
            int start = 0;
            int end = value.length();
            while (start < end && value.charAt(start) <= ' ') {
                start++;
            }
            while (end > start && value.charAt(end - 1) <= ' ') {
                end--;
            }
            end = withoutZeroFraction(value, start, end);
            long v = parseLongOrMin(value, start, end);
            if (v != Long.MIN_VALUE || "-9223372036854775808".equals(value.substring(start, end))) {
                return v;
            }
            int digits = start < end && (value.charAt(start) == '-' || value.charAt(start) == '+') ? start + 1 : start;
            if (isDigits(value.substring(0, end), digits)) {
                throw new InvalidValueException("long", value, "out of range for a 64-bit counter");
            }
        }
        throw new InvalidValueException("long", value, "not a whole number");
    }

    /** Unsigned digits (at most maxDigits) or -1. */
    private static long parseDigits(String value, int maxDigits) {
        if (value == null) {
            return -1;
        }
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && value.charAt(end - 1) <= ' ') {
            end--;
        }
        end = withoutZeroFraction(value, start, end);
        if (start == end || end - start > maxDigits) {
            return -1;
        }
        long v = 0;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * Where a whole number written with a zero fraction ({@code 443.0}, {@code 1234.00}) ends without it, else
     * {@code end}. Spreadsheet and pandas exports write a whole column that way once one cell in it is empty, and in
     * NDJSON the JSON number {@code 443.0} is accepted too; a non-zero fraction, an exponent or a bare {@code .0}
     * stay invalid.
     */
    private static int withoutZeroFraction(String s, int start, int end) {
        int i = end - 1;
        while (i > start && s.charAt(i) == '0') {
            i--;
        }
        if (i < end - 1 && i > start && s.charAt(i) == '.') {
            char before = s.charAt(i - 1);
            return before >= '0' && before <= '9' ? i : end;
        }
        return end;
    }

    /** Long.MIN_VALUE when not a valid long (the one real MIN_VALUE text is checked by the caller). */
    private static long parseLongOrMin(String s, int start, int end) {
        if (start == end) {
            return Long.MIN_VALUE;
        }
        boolean negative = false;
        int i = start;
        char c0 = s.charAt(i);
        if (c0 == '-' || c0 == '+') {
            negative = c0 == '-';
            i++;
            if (i == end) {
                return Long.MIN_VALUE;
            }
        }
        if (end - i > 19) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            int d = c - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    // ------------------------------------------------------------------ protocols, scalars

    /**
     * An IANA protocol number (0–255) becomes its lower-case keyword ({@code 6} → {@code tcp}); numbers without a
     * well-known keyword stay as the number's decimal text; names are trimmed and lower-cased. Numbers outside
     * 0–255, signed ones included ({@code -6}, {@code +6}), are rejected rather than kept as a name.
     */
    public static String protocolName(String value) {
        if (value == null) {
            throw new InvalidValueException(Fields.PROTO, null, "missing protocol");
        }
        String s = value.strip();
        if (s.isEmpty()) {
            throw new InvalidValueException(Fields.PROTO, value, "empty protocol");
        }
        char c = s.charAt(0);
        if ((c == '-' || c == '+') && s.length() > 1
                && isDigits(s.substring(0, withoutZeroFraction(s, 1, s.length())), 1)) {
            // A signed number is a protocol number written wrong (-6 is no protocol), not a protocol name:
            // kept as a name it would be indexed as proto "-6" and never match proto:tcp. With a zero fraction
            // (-6.0) too, as 6.0 is the number 6.
            throw new InvalidValueException(Fields.PROTO, value, "not an IANA protocol number (0-255)");
        }
        if (c >= '0' && c <= '9') {
            long n = parseDigits(s, 3);
            if (n < 0 || n > 255) {
                throw new InvalidValueException(Fields.PROTO, value, "not an IANA protocol number (0-255)");
            }
            String name = PROTOCOLS[(int) n];
            return name != null ? name : Long.toString(n);
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 'A' && ch <= 'Z') {
                return s.toLowerCase(Locale.ROOT);
            }
        }
        return s;
    }

    /** True when {@code s} holds only ASCII digits from {@code start} on (and at least one). */
    private static boolean isDigits(String s, int start) {
        if (start >= s.length()) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Value of an unknown column: a whole number without superfluous leading zeros that fits a long becomes a
     * {@link Long}; a finite decimal ({@code 1.5}, {@code -0.25}, {@code 1e-3}) becomes a {@link Double}; anything
     * else (including {@code 007}, {@code 0x1f}, {@code NaN}, {@code 1,5} and huge integers) stays the string.
     */
    public static Object inferScalar(String value) {
        if (value == null) {
            return null;
        }
        int len = value.length();
        if (len == 0 || len > 40) {
            return value;
        }
        int i = 0;
        char c = value.charAt(0);
        if (c == '-' || c == '+') {
            i = 1;
        }
        int intStart = i;
        while (i < len && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
            i++;
        }
        int intDigits = i - intStart;
        if (intDigits == 0 || (intDigits > 1 && value.charAt(intStart) == '0')) {
            return value; // no leading digit, or a leading zero: an identifier, not a number
        }
        if (i == len) {
            long v = parseLongOrMin(value, 0, len);
            // MIN_VALUE also stands for "does not fit"; the one number that is MIN_VALUE fits all the same
            return v == Long.MIN_VALUE && !"-9223372036854775808".equals(value) ? value : (Object) v;
        }
        boolean decimal = false;
        if (value.charAt(i) == '.') {
            int fracStart = ++i;
            while (i < len && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
                i++;
            }
            if (i == fracStart) {
                return value;
            }
            decimal = true;
        }
        if (i < len && (value.charAt(i) == 'e' || value.charAt(i) == 'E')) {
            i++;
            if (i < len && (value.charAt(i) == '-' || value.charAt(i) == '+')) {
                i++;
            }
            int expStart = i;
            while (i < len && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
                i++;
            }
            if (i == expStart) {
                return value;
            }
            decimal = true;
        }
        if (i != len || !decimal) {
            return value;
        }
        double d = Double.parseDouble(value);
        return Double.isFinite(d) ? (Object) d : value;
    }

    /**
     * A host name (HTTP Host, TLS SNI, DNS query): trimmed, lower-cased (DNS names are case-insensitive and
     * {@code keyword} search is not), a port suffix removed ({@code example.com:8080} → {@code example.com}: Zeek's
     * {@code http.log} keeps the Host header as sent, and {@code host:example.com} must find it; the port is the
     * record's {@code dstPort}), one trailing root dot removed ({@code google.com.} → {@code google.com}).
     */
    public static String normalizeHost(String value) {
        if (value == null) {
            throw new InvalidValueException(Fields.HOST, null, "missing host");
        }
        String s = withoutPort(value.strip());
        if (s.length() > 1 && s.charAt(s.length() - 1) == '.') {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
            throw new InvalidValueException(Fields.HOST, value, "empty host");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z' || c > 127) {
                return s.toLowerCase(Locale.ROOT);
            }
        }
        return s;
    }

    /** {@code name:digits} (one colon, 1–5 digits) without {@code :digits}; anything else (IPv6 text) unchanged. */
    private static String withoutPort(String s) {
        int colon = s.indexOf(':');
        if (colon <= 0 || colon != s.lastIndexOf(':') || s.length() - colon - 1 > 5 || colon == s.length() - 1) {
            return s;
        }
        for (int i = colon + 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return s;
            }
        }
        return s.substring(0, colon);
    }
}
