package dev.netmeta.load.format;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** Streams the records of one decoded input file, one at a time; never holds more than one record. */
public interface RecordReader extends Closeable {

    /** Most warnings a reader gives, and a file's report carries: the continuation payload and the report stay small. */
    int MAX_WARNINGS = 5;

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

    /**
     * What the file's shape says is wrong with it although it reads ({@link ShapeWarnings}: a tab-separated file read
     * as CSV, no column that is a canonical field…), found so far: decided per header, never per record. Empty for
     * a file that looks right.
     */
    default List<String> warnings() {
        return List.of();
    }
}
