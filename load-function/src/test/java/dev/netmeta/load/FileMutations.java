package dev.netmeta.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What happens to files on their way (a download cut short, a disk error, an editor, a concatenation, an exporter's
 * BOM): each mutation takes a valid file's bytes — its text before gzip, or the gzip itself — and breaks it one way.
 */
enum FileMutations {
    /** The text cut at a random byte (a download or copy that stopped). */
    TRUNCATE_TEXT,
    /** The gzip cut at a random byte. */
    TRUNCATE_GZIP,
    /** A line of garbage — random bytes, or text of the wrong format — inserted at a line start. */
    GARBAGE_LINE,
    /** 1–3 bytes of the text flipped. */
    FLIP_TEXT,
    /** 1–3 bytes of the gzip flipped. */
    FLIP_GZIP,
    /** A UTF-8 sequence cut short (its last bytes removed). */
    CUT_UTF8,
    /** The header again later in the file (CSV files or Zeek logs concatenated; a line of NDJSON twice). */
    DUPLICATE_HEADER,
    /** One column (a field between separators) removed from the header, one line, or every line. */
    DROP_COLUMN,
    /** LF made CRLF or CRLF made LF, in all or some lines; or a bare CR. */
    LINE_ENDS,
    /** A UTF-8 byte order mark at the start, twice there, or at the start of a later line. */
    BOM;

    /** Whether the mutation works on the gzip (applied after compression) rather than on the text. */
    boolean onGzip() {
        return this == TRUNCATE_GZIP || this == FLIP_GZIP;
    }

    private static final String[] GARBAGE = {"{", "}", "#fields\tx", "\"unclosed", ",,,,", "[1,2]", "\u0000\u0001",
        "#separator \\xZZ", "#types\tstring", "\"x\"y,z", "-", "(empty)", "{\"ts\":", "\t\t\t", "#", "\uFEFF{}",
        "x".repeat(5000), "{\"src_ip\":[1],\"proto\":true}", "a\rb"};

    byte[] apply(ContractValues v, byte[] in, String format) {
        return switch (this) {
            case TRUNCATE_TEXT, TRUNCATE_GZIP -> Arrays.copyOf(in, v.random().nextInt(in.length + 1));
            case FLIP_TEXT, FLIP_GZIP -> flip(v, in);
            case GARBAGE_LINE -> insertAtLineStart(v, in, garbage(v));
            case CUT_UTF8 -> cutUtf8(v, in);
            case DUPLICATE_HEADER -> insertAtLineStart(v, in, header(v, in, format));
            case DROP_COLUMN -> dropColumn(v, in, format);
            case LINE_ENDS -> lineEnds(v, in);
            case BOM -> bom(v, in);
        };
    }

    private static byte[] flip(ContractValues v, byte[] in) {
        byte[] out = in.clone();
        for (int n = v.random().nextInt(1, 4); n > 0 && out.length > 0; n--) {
            out[v.random().nextInt(out.length)] ^= (byte) v.random().nextInt(1, 256);
        }
        return out;
    }

    private static byte[] garbage(ContractValues v) {
        if (v.chance(40)) {
            byte[] random = new byte[v.random().nextInt(1, 60)];
            v.random().nextBytes(random);
            for (int i = 0; i < random.length; i++) {
                if (random[i] == '\n') {
                    random[i] = ' ';
                }
            }
            return concat(random, new byte[] {'\n'});
        }
        return (v.pick(GARBAGE) + v.pick("\n", "\r\n")).getBytes(StandardCharsets.UTF_8);
    }

    private static List<Integer> lineStarts(byte[] in) {
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n') {
                starts.add(i + 1);
            }
        }
        return starts;
    }

    private static byte[] insertAtLineStart(ContractValues v, byte[] in, byte[] line) {
        int at = v.pick(lineStarts(in));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(in, 0, at);
        if (at > 0 && in[at - 1] != '\n') {
            out.write('\n');
        }
        out.writeBytes(line);
        out.write(in, at, in.length - at);
        return out.toByteArray();
    }

    private static byte[] cutUtf8(ContractValues v, byte[] in) {
        List<Integer> leads = new ArrayList<>();
        for (int i = 0; i + 1 < in.length; i++) {
            int b = in[i] & 0xff;
            if (b >= 0xc2 && b < 0xf5 && (in[i + 1] & 0xc0) == 0x80) {
                leads.add(i);
            }
        }
        if (leads.isEmpty()) { // no multi-byte character: a lone lead byte instead
            return insertAtLineStart(v, in, new byte[] {'x', (byte) 0xc3, ',', '\n'});
        }
        int lead = v.pick(leads);
        int length = (in[lead] & 0xff) >= 0xf0 ? 4 : (in[lead] & 0xff) >= 0xe0 ? 3 : 2;
        int cut = v.random().nextInt(1, length); // keep the lead and some of its continuation bytes
        int from = Math.min(in.length, lead + cut);
        int to = Math.min(in.length, lead + length);
        return concat(Arrays.copyOfRange(in, 0, from), Arrays.copyOfRange(in, to, in.length));
    }

    private static byte[] header(ContractValues v, byte[] in, String format) {
        String text = new String(in, StandardCharsets.UTF_8);
        List<String> lines = List.of(text.split("\n", -1));
        return switch (format) {
            case "zeek-tsv" -> {
                StringBuilder header = new StringBuilder();
                for (String line : lines) {
                    if (line.startsWith("#") && (v.chance(70) || line.startsWith("#fields"))) {
                        header.append(line).append('\n');
                    }
                }
                yield header.toString().getBytes(StandardCharsets.UTF_8);
            }
            case "csv" -> (lines.get(0) + "\n").getBytes(StandardCharsets.UTF_8);
            default -> (v.pick(lines) + "\n").getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] dropColumn(ContractValues v, byte[] in, String format) {
        String text = new String(in, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        char separator = format.equals("csv") ? ',' : format.equals("zeek-tsv") ? '\t' : ',';
        int column = v.random().nextInt(8);
        int which = v.random().nextInt(3); // 0: the first line holding the separator, 1: one random line, 2: all
        int target = v.random().nextInt(lines.length);
        boolean done = false;
        for (int i = 0; i < lines.length; i++) {
            boolean hit = which == 2 || which == 1 && i == target || which == 0 && !done;
            if (hit && lines[i].indexOf(separator) >= 0) {
                lines[i] = without(lines[i], separator, column);
                done = true;
            }
        }
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    /** The line without its {@code column}-th separated field (counted naively, quotes or not). */
    private static String without(String line, char separator, int column) {
        List<String> parts = new ArrayList<>(List.of(line.split(java.util.regex.Pattern.quote(String.valueOf(separator)),
                -1)));
        parts.remove(Math.min(column, parts.size() - 1));
        return String.join(String.valueOf(separator), parts);
    }

    private static byte[] lineEnds(ContractValues v, byte[] in) {
        String text = new String(in, StandardCharsets.ISO_8859_1); // byte for byte
        boolean some = v.chance(50);
        StringBuilder sb = new StringBuilder();
        String mode = text.contains("\r\n") && v.chance(70) ? "to-lf" : v.pick("to-crlf", "bare-cr");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean change = !some || v.chance(30);
            if (mode.equals("to-lf") && c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' && change) {
                continue;
            }
            if (c == '\n' && change && (i == 0 || text.charAt(i - 1) != '\r')) {
                if (mode.equals("to-crlf")) {
                    sb.append('\r');
                } else if (mode.equals("bare-cr")) {
                    sb.append('\r');
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bom(ContractValues v, byte[] in) {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        return switch (v.random().nextInt(3)) {
            case 0 -> concat(bom, in);
            case 1 -> concat(concat(bom, bom), in);
            default -> insertAtLineStart(v, in, bom);
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
