package dev.netmeta.load.format;

import java.io.Closeable;
import java.io.IOException;

/** Streams the records of one decoded input file, one at a time; never holds more than one record. */
public interface RecordReader extends Closeable {

    /** The next record, or {@code null} at the end of the input. */
    SourceRecord next() throws IOException;

    /**
     * Reads past the first {@code count} data records without mapping them (a continuation resumes this way).
     *
     * @return how many records were actually skipped (fewer when the input ends first)
     */
    long skip(long count) throws IOException;

    /** The format name, for the load report ({@code csv}, {@code zeek-tsv}, {@code ndjson}). */
    String format();
}
