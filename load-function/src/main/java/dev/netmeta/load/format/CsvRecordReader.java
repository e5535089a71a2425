package dev.netmeta.load.format;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.netmeta.model.InvalidValueException;
import dev.netmeta.model.RecordMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * CSV with a header row (RFC 4180: quoted fields with embedded separators, quotes and newlines; CRLF or LF),
 * parsed by FastCSV. A row whose column count differs from the header's is rejected, as is a row with an
 * unparsable canonical value or invalid UTF-8, text after a closing quote, or more than {@link #MAX_RECORD_CHARS}
 * characters or {@link #MAX_FIELDS} fields (see {@link CsvRecordGuard}); blank lines are ignored, and so are lines of
 * spaces and tabs before the header row ({@link RecordReaders#isBlankLine}) — as written, not a quoted blank
 * ({@code "   "}), which is a header row of one column. A header row of
 * one column holding TABs or semicolons, or without any canonical column, gives a warning ({@link ShapeWarnings}).
 */
final class CsvRecordReader implements RecordReader {

    /**
     * Longest record accepted (characters): a longer one is rejected and reading goes on after it; a quoted field
     * longer than this (an unterminated quote) fails the file instead of eating the heap.
     */
    static final int MAX_RECORD_CHARS = 1024 * 1024;

    /**
     * Most fields in a record: below FastCSV's own limit (16384, its {@code CsvRecordHandler} default), past which it
     * throws and cannot go on, with room for the field the guard adds to a record it cuts short.
     */
    static final int MAX_FIELDS = 16_000;

    /** FastCSV's buffer: a field of {@code MAX_RECORD_CHARS} (+ the guard's closing quote) and a read (8 Ki) fit. */
    private static final int FASTCSV_BUFFER = MAX_RECORD_CHARS + 64 * 1024;

    private final CsvReader<CsvRecord> csv;
    private final CsvRecordGuard guard;
    private static final java.util.regex.Pattern LINE_BREAKS = java.util.regex.Pattern.compile("\\s*[\\r\\n]+\\s*");

    private final Iterator<CsvRecord> records;
    private final RecordMapper mapper;
    private final int columns;
    /** The header row's fields as read, to recognise it when concatenated files repeat it. */
    private final List<String> header;
    private final InvalidUtf8 invalid;
    /** What the header row tells of the file's shape ({@link ShapeWarnings}): none, or one. */
    private final List<String> warnings;
    private long position;

    CsvRecordReader(Reader reader, InvalidUtf8 invalid) throws IOException {
        this.invalid = invalid;
        this.guard = new CsvRecordGuard(reader, MAX_RECORD_CHARS, MAX_FIELDS);
        // lenient after a closing quote so that FastCSV reads on; the guard names those records and they are rejected
        this.csv = CsvReader.builder()
                .skipEmptyLines(true)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .allowExtraCharsAfterClosingQuote(true)
                .maxBufferSize(FASTCSV_BUFFER)
                .ofCsvRecord(guard);
        this.records = csv.iterator();
        CsvRecord header = nextRaw();
        while (header != null && guard.blankInText(header.getStartingLineNumber())) {
            // a line of spaces before the header is a blank line, not a header of one blank column; a quoted blank
            // ("   ", FastCSV reads it without its quotes) is a line with text: the header, as it always was (a record
            // that starts before the text's first character holds nothing else: a quote would be that character)
            header = nextRaw();
        }
        if (header == null) {
            this.mapper = null;
            this.columns = 0;
            this.header = List.of();
            this.warnings = List.of();
        } else {
            CsvRecordGuard.Problem problem = guard.problemAt(header.getStartingLineNumber());
            if (problem != null) {
                // every column name would be in doubt: no record of this file could be read right
                throw new MalformedFileException("header row: " + problem.reason(), header.getStartingLineNumber(),
                        null);
            }
            if (header.getStartingLineNumber() > 1 && RecordReaders.isZeekHeader(header.getField(0))) {
                // only after more than the detection's look-ahead of blank lines (within it, the file is a Zeek log;
                // on line 1 such a title was quoted, "#fields": a CSV's): read on, every Zeek line would be a row of
                // unknown columns (one, or more for a ',' separator), indexed as junk or rejected
                throw new MalformedFileException("the header row is a Zeek header line (" + shortened(header.getField(0))
                        + ") after blank lines that fill the first " + RecordReaders.PEEK / 1024 + " KiB, which the"
                        + " format is told from: a Zeek log read as a CSV — remove the blank lines at the start of the"
                        + " file", header.getStartingLineNumber(), null);
            }
            if (invalid.inAny(header.getFields()) || header.getFields().stream().anyMatch(CsvRecordReader::hasControl)) {
                // not UTF-8 text (another encoding, or binary: e.g. a file compressed twice, read as one long line):
                // its columns would be misnamed or every row rejected; better the file fails with the reason
                throw new MalformedFileException("the header row is not UTF-8 text (another encoding? binary data, "
                        + "e.g. a file compressed twice?)", header.getStartingLineNumber(), null);
            }
            // a quoted line break inside a title ("Src\nIP", wrapped by a spreadsheet) is a space
            List<String> names = header.getFields().stream()
                    .map(s -> InvalidUtf8.readable(LINE_BREAKS.matcher(s).replaceAll(" ").trim())).toList();
            this.mapper = RecordMapper.forColumns(names);
            this.columns = names.size();
            this.header = header.getFields();
            String warning = ShapeWarnings.csvHeader(names, mapper.fieldNames());
            this.warnings = warning == null ? List.of() : List.of(warning);
        }
    }

    /** The line as far as it names itself: a {@code #fields} line's first columns, not all of them. */
    private static String shortened(String line) {
        String firstColumns = line.length() > 40 ? line.substring(0, 40) + "…" : line;
        return InvalidUtf8.readable(firstColumns.replace('\t', ' '));
    }

    /**
     * A control character other than tab and a (quoted, so wrapped) line break: text headers have none, binary data
     * has many.
     */
    private static boolean hasControl(String field) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    @Override
    public SourceRecord next() throws IOException {
        CsvRecord row = nextRaw();
        if (row == null) {
            return null;
        }
        long pos = position++;
        long line = row.getStartingLineNumber();
        List<String> fields = row.getFields();
        boolean malformed = invalid.inAny(fields);
        CsvRecordGuard.Problem problem = guard.problemAt(line);
        if (problem != null) {
            String raw = CsvLine.format(fields);
            if (raw.length() > LineReader.RAW_KEEP_CHARS) {
                raw = raw.substring(0, LineReader.RAW_KEEP_CHARS);
            }
            return SourceRecord.reject(pos, line, InvalidUtf8.readable(raw), problem.reason());
        }
        if (fields.size() != columns) {
            return SourceRecord.reject(pos, line, InvalidUtf8.readable(CsvLine.format(fields)),
                    "expected " + columns + " columns (as in the header), found " + fields.size());
        }
        if (malformed) {
            return SourceRecord.reject(pos, line, InvalidUtf8.readable(CsvLine.format(fields)), InvalidUtf8.REASON);
        }
        if (isHeaderAgain(fields)) {
            // cat a.csv b.csv: b's header is no data; indexed, its column names would be a document's values
            return SourceRecord.reject(pos, line, CsvLine.format(fields),
                    "the header row again (concatenated CSV files?), not a data row");
        }
        String[] values = fields.toArray(new String[0]);
        try {
            Map<String, Object> document = mapper.toDocument(values);
            return SourceRecord.document(pos, line, document);
        } catch (InvalidValueException e) {
            return SourceRecord.reject(pos, line, CsvLine.format(fields), e.getMessage());
        }
    }

    /**
     * The row equals the header row (the later file's UTF-8 BOM, mid-file, aside). After such a BOM a quoted first
     * title is no quoted field for FastCSV — the quote is not the field's first character — so it reads as the title
     * in its quotes ({@code \uFEFF"Src IP"}), which is matched too: missed, the header row was indexed as a document
     * of column names (or rejected for a value of a typed column, {@code got '"Src IP"'}).
     */
    private boolean isHeaderAgain(List<String> fields) {
        String first = fields.get(0);
        if (!first.equals(header.get(0)) && !(first.startsWith("\uFEFF") && (first.substring(1).equals(header.get(0))
                || first.substring(1).equals(quoted(header.get(0)))))) {
            return false;
        }
        return fields.subList(1, fields.size()).equals(header.subList(1, header.size()));
    }

    /** A field as RFC 4180 quotes it. */
    private static String quoted(String field) {
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    @Override
    public long skip(long count) throws IOException {
        long skipped = 0;
        CsvRecord row;
        while (skipped < count && (row = nextRaw()) != null) {
            invalid.inAny(row.getFields());
            guard.problemAt(row.getStartingLineNumber());
            skipped++;
            position++;
        }
        return skipped;
    }

    @Override
    public String format() {
        return "csv";
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    private CsvRecord nextRaw() throws IOException {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (CsvParseException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new MalformedFileException("unreadable CSV: " + describe(e), e);
        }
    }

    /** FastCSV's message names the record's line and its cause says what is wrong: the report needs both. */
    private static String describe(CsvParseException e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !cause.getMessage().equals(message)) {
            return message == null ? cause.getMessage() : message + ": " + cause.getMessage();
        }
        return message == null ? e.toString() : message;
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
