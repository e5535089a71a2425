package dev.netmeta.load.format;

import dev.netmeta.model.InvalidValueException;
import dev.netmeta.model.RecordMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Zeek ASCII logs: {@code #separator} (hex-escaped, default tab), {@code #set_separator}, {@code #empty_field}
 * ({@code (empty)}), {@code #unset_field} ({@code -}), {@code #fields}, {@code #types}, {@code #open}/{@code #close}.
 * Unset and empty values are left out of the document; set/vector values are kept as their Zeek text. A new
 * {@code #fields} line (concatenated logs) switches the columns. Lines are numbered from 1, header lines included.
 */
final class ZeekTsvRecordReader extends LineRecordReader {

    private char separator = '\t';
    private String unset = "-";
    private String empty = "(empty)";
    private RecordMapper mapper;
    private int columns;

    ZeekTsvRecordReader(LineReader lines) {
        super(lines);
    }

    @Override
    boolean isRecord(String text, long line) {
        if (text.isEmpty()) {
            return false;
        }
        if (text.charAt(0) == '#') {
            directive(text);
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
        if (InvalidUtf8.in(text)) {
            return SourceRecord.reject(pos, line, text, InvalidUtf8.REASON);
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i].equals(unset) || values[i].equals(empty)) {
                values[i] = null;
            }
        }
        try {
            Map<String, Object> document = mapper.toDocument(values);
            return SourceRecord.document(pos, line, document);
        } catch (InvalidValueException e) {
            return SourceRecord.reject(pos, line, text, e.getMessage());
        }
    }

    private void directive(String text) {
        int space = indexOfWhitespace(text);
        String name = space < 0 ? text : text.substring(0, space);
        String value = space < 0 ? "" : text.substring(space + 1);
        switch (name) {
            case "#separator" -> separator = unescape(value).charAt(0);
            case "#unset_field" -> unset = unescape(value);
            case "#empty_field" -> empty = unescape(value);
            case "#fields" -> {
                String[] names = split(value, separator);
                mapper = RecordMapper.forColumns(Arrays.asList(names));
                columns = names.length;
            }
            default -> {
                // #set_separator, #path, #open, #close, #types: nothing to do for indexing
            }
        }
    }

    private int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == separator || c == ' ' || c == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** Zeek writes {@code \x09}-style escapes in its header values. */
    static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value.isEmpty() ? "\t" : value;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 3 < value.length() && value.charAt(i + 1) == 'x') {
                sb.append((char) Integer.parseInt(value.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
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
}
