package dev.netmeta.load;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Random values of every type of the data contract (docs/DATA-CONTRACT.md), each in one of the spellings the
 * contract accepts, with the value the document must hold after the contract's normalisation — worked out here from
 * the generated meaning (an instant, address bytes, a number), never by calling the contract's own code. Shared by
 * the per-format generators ({@link CsvFileGenerator}, {@link ZeekFileGenerator}, {@link NdjsonFileGenerator}).
 */
final class ContractValues {

    /**
     * One value: {@code text} as a text producer writes it (a CSV cell before quoting), {@code json} as a JSON
     * producer writes it (Long, Double, String, {@link RawNumber}, Boolean, a List, or {@link #JSON_NULL}), and
     * {@code expected}, what the document holds (null: the field is absent).
     */
    record Value(String text, Object json, Object expected) {
    }

    /** A JSON number written as this exact text (Zeek's {@code 1525876221.123456}). */
    record RawNumber(String text) {
    }

    /** JSON {@code null}. */
    static final Object JSON_NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Pieces of hostile text: separators, quotes, line breaks, escapes, controls, unicode beyond the BMP. */
    private static final String[] PIECES = {
        "a", "Zeek", "comma,here", "\"quoted\"", "\"", "line\nbreak", "cr\rno-lf", "crlf\r\nend", "tab\tbed",
        "back\\slash", "\\x41", "\\x", "\\x2c", "semi;colon", "pipe|bar", " lead", "trail ", "é", "中文", "😀", "𝔘x",
        "\uFFFD", "nul\u0000", "\u0001ctl", "del\u007f", "nel\u0085", "ls\u2028", "-", "(empty)", "#hash", "{brace}",
        "[1,2]", "'single'", "k=v", "+1", "0x1f", "007", "NaN", "b\uFEFFom", "  ", "x".repeat(300),
    };

    private final Random r;

    ContractValues(Random r) {
        this.r = r;
    }

    Random random() {
        return r;
    }

    boolean chance(int percent) {
        return r.nextInt(100) < percent;
    }

    <T> T pick(List<T> options) {
        return options.get(r.nextInt(options.size()));
    }

    @SafeVarargs
    final <T> T pick(T... options) {
        return options[r.nextInt(options.length)];
    }

    // ------------------------------------------------------------------ missing values

    /** A value a text format writes for "no value": empty, blank, {@code -} or {@code (empty)}. */
    Value missingText() {
        return new Value(pick("", "-", "(empty)", "  ", " - ", "\t"), JSON_NULL, null);
    }

    // ------------------------------------------------------------------ timestamps

    /** A time in one of the contract's forms; {@code expected} is the UTC epoch millis, sub-millis truncated. */
    Value timestamp() {
        long second = r.nextLong(100_000_000L, 4_102_444_800L); // 1973 .. 2100
        switch (r.nextInt(8)) {
            case 0 -> { // Zeek: epoch seconds with microseconds
                int micros = r.nextInt(1_000_000);
                String text = second + "." + pad(micros, 6);
                return new Value(text, new RawNumber(text), second * 1000 + micros / 1000);
            }
            case 1 -> {
                String text = Long.toString(second);
                return new Value(text, second, second * 1000);
            }
            case 2 -> { // epoch millis (from 1973-03-03 on: n >= 10^11)
                long millis = r.nextLong(100_000_000_000L, 4_102_444_800_000L);
                return new Value(Long.toString(millis), millis, millis);
            }
            case 3 -> { // ISO-8601 with a zone
                int digits = r.nextInt(10);
                long nanos = digits == 0 ? 0 : r.nextLong(1_000_000_000L) / pow10(9 - digits) * pow10(9 - digits);
                ZoneOffset offset = ZoneOffset.ofTotalSeconds(r.nextInt(-24, 29) * 1800); // -12:00 .. +14:00
                LocalDateTime local = LocalDateTime.ofEpochSecond(second, (int) nanos, offset);
                String zone = offset.getTotalSeconds() == 0 && chance(50) ? pick("Z", "z", "+00:00", "+0000")
                        : zoneText(offset);
                String text = date(local) + pick("T", "t", " ") + time(local, digits) + zone;
                return new Value(text, text, second * 1000 + nanos / 1_000_000);
            }
            case 4 -> { // ISO-8601 without a zone: UTC
                LocalDateTime local = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
                return switch (r.nextInt(3)) {
                    case 0 -> {
                        int millis = r.nextInt(1000);
                        String text = date(local) + " " + time(local, 0) + "." + pad(millis, 3);
                        yield new Value(text, text, second * 1000 + millis);
                    }
                    case 1 -> {
                        String text = date(local) + "T" + pad(local.getHour(), 2) + ":" + pad(local.getMinute(), 2);
                        yield new Value(text, text, (second - local.getSecond()) * 1000);
                    }
                    default -> {
                        String text = date(local);
                        yield new Value(text, text, local.toLocalDate().toEpochDay() * 86_400_000L);
                    }
                };
            }
            case 5 -> { // CICFlowMeter: day first, 12-hour clock with AM/PM
                LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
                int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
                String text = dayFirst(t) + " " + (chance(50) ? pad(hour12, 2) : Integer.toString(hour12)) + ":"
                        + pad(t.getMinute(), 2) + ":" + pad(t.getSecond(), 2) + " "
                        + pick(t.getHour() < 12 ? "AM" : "PM", t.getHour() < 12 ? "am" : "pm");
                return new Value(text, text, second * 1000);
            }
            case 6 -> { // CICFlowMeter 2017: day first, 24-hour clock, no seconds
                LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
                String text = dayFirst(t) + " " + t.getHour() + ":" + pad(t.getMinute(), 2);
                return new Value(text, text, (second - t.getSecond()) * 1000);
            }
            default -> { // Suricata EVE
                int micros = r.nextInt(1_000_000);
                LocalDateTime t = LocalDateTime.ofEpochSecond(second, micros * 1000, ZoneOffset.UTC);
                String text = date(t) + "T" + time(t, 6) + "+0000";
                return new Value(text, text, second * 1000 + micros / 1000);
            }
        }
    }

    private String dayFirst(LocalDateTime t) {
        boolean padded = chance(50);
        return (padded ? pad(t.getDayOfMonth(), 2) : Integer.toString(t.getDayOfMonth())) + "/"
                + (padded ? pad(t.getMonthValue(), 2) : Integer.toString(t.getMonthValue())) + "/" + t.getYear();
    }

    private static String date(LocalDateTime t) {
        return pad(t.getYear(), 4) + "-" + pad(t.getMonthValue(), 2) + "-" + pad(t.getDayOfMonth(), 2);
    }

    private String time(LocalDateTime t, int fractionDigits) {
        String hms = pad(t.getHour(), 2) + ":" + pad(t.getMinute(), 2) + ":" + pad(t.getSecond(), 2);
        if (fractionDigits == 0) {
            return hms;
        }
        String nanos = pad(t.getNano(), 9);
        return hms + pick(".", ",") + nanos.substring(0, fractionDigits);
    }

    private String zoneText(ZoneOffset offset) {
        int total = offset.getTotalSeconds();
        String sign = total < 0 ? "-" : "+";
        int hours = Math.abs(total) / 3600;
        int minutes = Math.abs(total) % 3600 / 60;
        return switch (minutes == 0 ? r.nextInt(3) : r.nextInt(2)) {
            case 0 -> sign + pad(hours, 2) + ":" + pad(minutes, 2);
            case 1 -> sign + pad(hours, 2) + pad(minutes, 2);
            default -> sign + pad(hours, 2);
        };
    }

    // ------------------------------------------------------------------ IP addresses

    /** An address in one of its text forms; {@code expected} is the contract's canonical text. */
    Value ip() {
        if (chance(50)) {
            int[] octets = {r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256)};
            String canonical = dotted(octets);
            String text = switch (r.nextInt(4)) {
                case 0 -> String.format(Locale.ROOT, "%03d.%03d.%03d.%03d", octets[0], octets[1], octets[2], octets[3]);
                case 1 -> pick("::ffff:", "::FFFF:", "0:0:0:0:0:ffff:") + canonical;
                case 2 -> String.format(Locale.ROOT, "::ffff:%02x%02x:%02x%02x", octets[0], octets[1], octets[2],
                        octets[3]);
                default -> canonical;
            };
            return new Value(text, text, canonical);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = chance(40) ? 0 : chance(30) ? r.nextInt(16) : r.nextInt(0x10000);
        }
        if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff) {
            groups[5] = 0xfffe; // an IPv4-mapped address is tested above, as an IPv4 one
        }
        String canonical = rfc5952(groups);
        String text = switch (r.nextInt(4)) {
            case 0 -> { // every group, upper case, maybe zero-padded
                StringBuilder sb = new StringBuilder();
                boolean padded = chance(50);
                for (int i = 0; i < 8; i++) {
                    sb.append(i == 0 ? "" : ":").append(String.format(Locale.ROOT, padded ? "%04X" : "%X", groups[i]));
                }
                yield sb.toString();
            }
            case 1 -> canonical.toUpperCase(Locale.ROOT);
            case 2 -> { // a dotted IPv4 tail
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 6; i++) {
                    sb.append(Integer.toHexString(groups[i])).append(':');
                }
                yield sb.append(dotted(new int[] {groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff}))
                        .toString();
            }
            default -> canonical;
        };
        return new Value(text, text, canonical);
    }

    /** The address as Zeek writes it (IPv4 dotted, IPv6 compressed), and its canonical text. */
    Value zeekAddr() {
        Value v = ip();
        return new Value((String) v.expected(), v.expected(), v.expected());
    }

    private static String dotted(int[] octets) {
        return octets[0] + "." + octets[1] + "." + octets[2] + "." + octets[3];
    }

    /** RFC 5952: lower case, no leading zeros, the longest run (at least 2) of zero groups as {@code ::}, leftmost. */
    static String rfc5952(int[] groups) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ ports, protocols, counters

    /** A port 0–65535; {@code expected} an Integer. */
    Value port() {
        int port = chance(20) ? pick(0, 1, 53, 443, 65535) : r.nextInt(65536);
        return switch (r.nextInt(4)) {
            case 0 -> new Value(port + ".0", (double) port, port);
            case 1 -> new Value(" " + port + " ", Integer.toString(port), port);
            default -> new Value(Integer.toString(port), (long) port, port);
        };
    }

    private static final int[] PROTOCOL_NUMBERS = {0, 1, 6, 17, 58, 132, 253, 255};
    private static final String[] PROTOCOL_NAMES = {"hopopt", "icmp", "tcp", "udp", "ipv6-icmp", "sctp", "253", "255"};

    /** A protocol as an IANA number or a name in any case; {@code expected} the lower-case keyword. */
    Value proto() {
        int i = r.nextInt(PROTOCOL_NUMBERS.length);
        String name = PROTOCOL_NAMES[i];
        int number = PROTOCOL_NUMBERS[i];
        return switch (r.nextInt(4)) {
            case 0 -> new Value(number + ".0", (long) number, name);
            case 1 -> Character.isDigit(name.charAt(0)) ? new Value(name, name, name)
                    : new Value(randomCase(name), randomCase(name), name);
            default -> new Value(Integer.toString(number), chance(50) ? (Object) (long) number : name, name);
        };
    }

    /** A signed 64-bit counter; {@code expected} a Long. */
    Value counter() {
        long n = chance(20) ? pick(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 53) : r.nextLong() >> r.nextInt(64);
        return switch (r.nextInt(4)) {
            case 0 -> new Value(n >= 0 ? "+" + n : Long.toString(n), Long.toString(n), n);
            case 1 -> new Value(n + ".00", n, n);
            default -> new Value(Long.toString(n), n, n);
        };
    }

    /** A non-negative counter as Zeek writes a {@code count}. */
    Value zeekCount() {
        long n = chance(20) ? pick(0L, Long.MAX_VALUE) : r.nextLong(Long.MAX_VALUE) >> r.nextInt(63);
        return new Value(Long.toString(n), n, n);
    }

    // ------------------------------------------------------------------ host names

    private static final String[] LABEL_CHARS = {"a", "b", "z", "q", "0", "9", "-", "ü", "é", "ж", "ω"};

    /** A DNS-like name in random case, maybe with a trailing root dot or a {@code :port}; expected lower case. */
    Value host() {
        int labels = r.nextInt(1, 5);
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < labels; i++) {
            if (i > 0) {
                name.append('.');
            }
            name.append(pick("www", "example", "x"));
            int extra = r.nextInt(4);
            for (int k = 0; k < extra; k++) {
                name.append(pick(LABEL_CHARS));
            }
        }
        String expected = name.toString();
        String text = randomCase(expected);
        if (chance(20)) {
            text += ".";
        } else if (chance(20)) {
            text += ":" + r.nextInt(1, 65536);
        }
        return new Value(text, text, expected);
    }

    String randomCase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(r.nextBoolean() ? Character.toUpperCase(c) : c));
        return sb.toString();
    }

    // ------------------------------------------------------------------ columns of no canonical field

    /**
     * Hostile text that is no number (it holds a letter), for a column of no canonical field; {@code expected} as a
     * text format's value reads: trimmed, or absent when that leaves nothing, {@code -} or {@code (empty)}.
     */
    Value text() {
        String text = hostileText();
        return new Value(text, text, trimmedOrNull(text));
    }

    String hostileText() {
        StringBuilder sb = new StringBuilder();
        int pieces = r.nextInt(1, 6);
        boolean letter = false;
        for (int i = 0; i < pieces; i++) {
            String piece = pick(PIECES);
            letter |= piece.chars().anyMatch(Character::isLetter);
            sb.append(piece);
        }
        if (!letter) {
            sb.insert(0, 'v'); // at a code point boundary: never between the halves of a surrogate pair
        }
        return sb.toString();
    }

    /** The contract's reading of a text value: trimmed of chars up to U+0020, absent when blank, - or (empty). */
    static String trimmedOrNull(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && text.charAt(end - 1) <= ' ') {
            end--;
        }
        String t = text.substring(start, end);
        return t.isEmpty() || t.equals("-") || t.equals("(empty)") ? null : t;
    }

    /** A whole number for a column of no canonical field: "numbers stay numbers", a Long. */
    Value wholeNumber() {
        long n = chance(10) ? pick(Long.MAX_VALUE, Long.MIN_VALUE, 0L) : r.nextLong() >> r.nextInt(64);
        return new Value(Long.toString(n), n, n);
    }

    /** A decimal for a column of no canonical field: a Double. */
    Value decimal() {
        String text = switch (r.nextInt(3)) {
            case 0 -> BigDecimal.valueOf(r.nextLong(-1_000_000, 1_000_000), r.nextInt(1, 7)).toPlainString();
            case 1 -> r.nextInt(1, 10) + "e-" + r.nextInt(1, 30);
            default -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(-5, 15)));
        };
        if (!text.contains(".") && !text.contains("e") && !text.contains("E")) {
            text += ".5";
        }
        double d = Double.parseDouble(text);
        return new Value(text, d, d);
    }

    // ------------------------------------------------------------------ helpers

    static String pad(long n, int width) {
        StringBuilder s = new StringBuilder(Long.toString(n));
        while (s.length() < width) {
            s.insert(0, '0');
        }
        return s.toString();
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    /** Splits {@code bytes} at random points into 1–4 parts (possibly empty ones), for multi-member gzip. */
    List<byte[]> split(byte[] bytes) {
        int parts = r.nextInt(1, 5);
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < parts; i++) {
            cuts.add(r.nextInt(bytes.length + 1));
        }
        cuts.sort(null);
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            out.add(java.util.Arrays.copyOfRange(bytes, from, cut));
            from = cut;
        }
        out.add(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
        return out;
    }
}
