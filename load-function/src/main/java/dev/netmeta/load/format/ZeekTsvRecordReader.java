package dev.netmeta.load.format;

import dev.netmeta.model.Fields;
import dev.netmeta.model.InvalidValueException;
import dev.netmeta.model.RecordMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Zeek ASCII logs: {@code #separator} (hex-escaped, default tab), {@code #set_separator}, {@code #empty_field}
 * ({@code (empty)}), {@code #unset_field} ({@code -}), {@code #fields}, {@code #types}, {@code #open}/{@code #close}.
 * Unset and empty values are left out of the document; {@code \xHH} escapes in values are decoded (see
 * {@link #decodeValue}); values of text-typed columns ({@code string}, {@code enum}, {@code addr}, {@code subnet},
 * {@code pattern}, sets and vectors: the {@code #types} line says which) are kept as their Zeek text, also when they
 * look like a number. A new {@code #fields} line (concatenated logs) switches the columns. Lines are numbered from 1,
 * header lines included.
 */
final class ZeekTsvRecordReader extends LineRecordReader {

    /** {@code LogAscii::separator}: a string, one character in practice, but Zeek lets it be longer ({@code ||}). */
    private String separator = "\t";
    private String unset = "-";
    private String empty = "(empty)";
    private RecordMapper mapper;
    private int columns;
    /** The field name of each column of the current {@code #fields}. */
    private String[] names;
    /**
     * Per column: a text type (from {@code #types}: {@code string}, {@code enum}, {@code addr}, {@code subnet},
     * {@code pattern}, a set or a vector) of a non-canonical field, kept as Zeek's text; null without a {@code #types}
     * line. Worked out once per block, so a record costs no lookup for the columns that never need one.
     */
    private boolean[] textual;
    /** The warnings of the {@code #fields} lines read so far ({@link ShapeWarnings}), each once. */
    private final List<String> warnings = new ArrayList<>(1);

    ZeekTsvRecordReader(LineReader lines, InvalidUtf8 invalid) {
        super(lines, invalid);
    }

    @Override
    boolean isRecord(String text, long line) throws MalformedFileException {
        if (text.isEmpty() || mapper == null && RecordReaders.isBlankLine(text)) {
            return false; // before the header, a line of spaces is no data line either (RecordReaders' detection)
        }
        // before the header a bare CR ends a line of blanks, as in the detection that made this a Zeek log
        String directive = mapper == null ? RecordReaders.afterBlanksToABareCr(text) : text;
        if (directive.charAt(0) == '#') {
            directive(directive, line);
            return false;
        }
        return true;
    }

    @Override
    SourceRecord parse(long pos, long line, String text) {
        if (mapper == null) {
            return SourceRecord.reject(pos, line, text, "data line before the #fields header");
        }
        String[] values = split(text, separator);
        if (values.length != columns) {
            return SourceRecord.reject(pos, line, text,
                    "expected " + columns + " fields (as in #fields), found " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            // markers first: Zeek escapes a value that equals a marker (a string "-" is written \x2d)
            if (values[i].equals(unset) || values[i].equals(empty)) {
                values[i] = null;
            } else {
                values[i] = decodeValue(values[i]);
            }
        }
        try {
            Map<String, Object> document = mapper.toDocument(values);
            keepTextAsText(document, values);
            return SourceRecord.document(pos, line, document);
        } catch (InvalidValueException e) {
            return SourceRecord.reject(pos, line, text, e.getMessage());
        }
    }

    private void directive(String text, long line) throws MalformedFileException {
        int space = indexOfWhitespace(text);
        String name = space < 0 ? text : text.substring(0, space);
        // Zeek puts a space after #separator and the separator after every other key
        int valueStart = space < 0 ? text.length()
                : space + (text.startsWith(separator, space) ? separator.length() : 1);
        String value = text.substring(valueStart);
        switch (name) {
            case "#separator" -> separator = unescape(name, value, line);
            case "#unset_field" -> unset = unescape(name, value, line);
            case "#empty_field" -> empty = unescape(name, value, line);
            case "#fields" -> {
                String[] header = split(value, separator);
                mapper = RecordMapper.forColumns(Arrays.asList(header));
                columns = header.length;
                names = mapper.fieldNames().toArray(new String[0]);
                textual = null; // a new block: its own #types follows
                String warning = ShapeWarnings.zeekFields(Arrays.asList(header), mapper.fieldNames());
                if (warning != null && !warnings.contains(warning) && warnings.size() < MAX_WARNINGS) {
                    warnings.add(warning); // concatenated logs repeat their #fields: once each, a few at most
                }
            }
            case "#types" -> {
                String[] types = split(value, separator);
                textual = new boolean[types.length];
                for (int i = 0; i < types.length; i++) {
                    // a canonical field is converted by the contract, never kept as text
                    textual[i] = isTextType(types[i]) && names != null && i < names.length
                            && !Fields.isCanonical(names[i]);
                }
            }
            default -> {
                // #set_separator, #path, #open, #close: nothing to do for indexing
            }
        }
    }

    /**
     * Puts back Zeek's text for the text-typed columns the mapper read as a number: a one-element vector looks like
     * one ({@code dns.log}'s {@code TTLs} {@code 300.000000}), and so does an all-digit {@code string}
     * ({@code x509.log}'s serial {@code 1234567890}); a number there would map the column as numeric in the day's
     * index, so that every later value with two elements ({@code 60.000000,60.000000}) or a hex digit would be refused.
     */
    private void keepTextAsText(Map<String, Object> document, String[] values) {
        if (textual == null) {
            return;
        }
        for (int i = 0; i < textual.length && i < values.length; i++) {
            if (textual[i] && values[i] != null && document.get(names[i]) instanceof Number) {
                document.put(names[i], values[i].trim());
            }
        }
    }

    private static boolean isTextType(String type) {
        return switch (type) {
            case "string", "enum", "addr", "subnet", "pattern" -> true;
            default -> type.startsWith("set[") || type.startsWith("vector[");
        };
    }

    private int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || text.startsWith(separator, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Zeek writes {@code \x09}-style escapes in its header values; a bad one makes the file unreadable. */
    static String unescape(String directive, String value, long line) throws MalformedFileException {
        if (value.indexOf('\\') < 0) {
            return value.isEmpty() ? "\t" : value;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() && value.charAt(i + 1) == 'x') {
                String hex = value.substring(i + 2, Math.min(i + 4, value.length()));
                int high = hex.length() == 2 ? Character.digit(hex.charAt(0), 16) : -1;
                int low = hex.length() == 2 ? Character.digit(hex.charAt(1), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new MalformedFileException("invalid escape \\x" + hex + " in the Zeek " + directive
                            + " header (expected two hex digits, e.g. \\x09)", line, null);
                }
                sb.append((char) (high * 16 + low));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Undoes Zeek's {@code \xHH} escapes in a field value. Zeek writes the separator, a backslash ({@code \x5c}),
     * non-printable bytes and — unless its UTF-8 output is on — every byte of a non-ASCII character this way, so
     * indexing the text as it stands would make {@code with\x09tab} unsearchable as what Zeek saw. A run of escaped
     * bytes is decoded as UTF-8 ({@code caf\xc3\xa9} → {@code café}); bytes that are not valid UTF-8
     * ({@code \xff}) keep their escape text, so nothing is replaced by a guess. A backslash that does not start
     * {@code \x} and two hex digits cannot come from Zeek and is kept as it is.
     */
    static String decodeValue(String value) {
        int first = value.indexOf('\\');
        if (first < 0) {
            return value;
        }
        int len = value.length();
        StringBuilder sb = new StringBuilder(len);
        sb.append(value, 0, first);
        byte[] run = new byte[len / 4 + 1];
        int i = first;
        while (i < len) {
            int n = 0;
            for (int b; (b = escapedByte(value, i)) >= 0; i += 4) {
                run[n++] = (byte) b;
            }
            if (n > 0) {
                appendUtf8(sb, run, n);
            } else {
                sb.append(value.charAt(i++));
            }
        }
        return sb.toString();
    }

    /** The byte of a {@code \xHH} escape at {@code i}, or -1. */
    private static int escapedByte(String s, int i) {
        if (i + 3 >= s.length() || s.charAt(i) != '\\' || s.charAt(i + 1) != 'x') {
            return -1;
        }
        int high = Character.digit(s.charAt(i + 2), 16);
        int low = Character.digit(s.charAt(i + 3), 16);
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }

    /** Decodes {@code bytes[0..n)} as UTF-8; each malformed byte is appended as its {@code \xHH} escape again. */
    private static void appendUtf8(StringBuilder sb, byte[] bytes, int n) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, n);
        CharBuffer out = CharBuffer.allocate(n);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            out.flip();
            sb.append(out);
            out.clear();
            if (result.isUnderflow()) {
                return;
            }
            if (result.isError()) {
                for (int k = 0; k < result.length(); k++) {
                    int b = in.get() & 0xff;
                    sb.append("\\x").append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
                }
            }
        }
    }

    /** The fields between the separators; a separator of several characters is matched whole, left to right. */
    static String[] split(String text, String separator) {
        if (separator.length() == 1) {
            return split(text, separator.charAt(0));
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int at; (at = text.indexOf(separator, start)) >= 0; start = at + separator.length()) {
            parts.add(text.substring(start, at));
        }
        parts.add(text.substring(start));
        return parts.toArray(new String[0]);
    }

    static String[] split(String text, char separator) {
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == separator) {
                count++;
            }
        }
        String[] parts = new String[count];
        int start = 0;
        int k = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == separator) {
                parts[k++] = text.substring(start, i);
                start = i + 1;
            }
        }
        parts[k] = text.substring(start);
        return parts;
    }

    @Override
    public String format() {
        return "zeek-tsv";
    }

    @Override
    public List<String> warnings() {
        return List.copyOf(warnings);
    }
}
