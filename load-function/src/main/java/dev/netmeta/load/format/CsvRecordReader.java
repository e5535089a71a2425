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
 * unparsable canonical value or invalid UTF-8; blank lines are ignored.
 */
final class CsvRecordReader implements RecordReader {

    /** Longest record accepted (characters); an unterminated quote fails the file at this point instead of eating the heap. */
    static final int MAX_RECORD_CHARS = 1024 * 1024;

    private final CsvReader<CsvRecord> csv;
    private final Iterator<CsvRecord> records;
    private final RecordMapper mapper;
    private final int columns;
    private final InvalidUtf8 invalid;
    private long position;

    CsvRecordReader(Reader reader, InvalidUtf8 invalid) throws IOException {
        this.invalid = invalid;
        this.csv = CsvReader.builder()
                .skipEmptyLines(true)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .maxBufferSize(MAX_RECORD_CHARS)
                .ofCsvRecord(reader);
        this.records = csv.iterator();
        CsvRecord header = nextRaw();
        if (header == null) {
            this.mapper = null;
            this.columns = 0;
        } else {
            invalid.inAny(header.getFields());
            List<String> names = header.getFields().stream().map(s -> InvalidUtf8.readable(s.trim())).toList();
            this.mapper = RecordMapper.forColumns(names);
            this.columns = names.size();
        }
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
        if (fields.size() != columns) {
            return SourceRecord.reject(pos, line, InvalidUtf8.readable(CsvLine.format(fields)),
                    "expected " + columns + " columns (as in the header), found " + fields.size());
        }
        if (malformed) {
            return SourceRecord.reject(pos, line, InvalidUtf8.readable(CsvLine.format(fields)), InvalidUtf8.REASON);
        }
        String[] values = fields.toArray(new String[0]);
        try {
            Map<String, Object> document = mapper.toDocument(values);
            return SourceRecord.document(pos, line, document);
        } catch (InvalidValueException e) {
            return SourceRecord.reject(pos, line, CsvLine.format(fields), e.getMessage());
        }
    }

    @Override
    public long skip(long count) throws IOException {
        long skipped = 0;
        CsvRecord row;
        while (skipped < count && (row = nextRaw()) != null) {
            invalid.inAny(row.getFields());
            skipped++;
            position++;
        }
        return skipped;
    }

    @Override
    public String format() {
        return "csv";
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
            throw new MalformedFileException("unreadable CSV: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
