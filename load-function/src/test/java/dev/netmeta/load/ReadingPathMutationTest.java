package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.netmeta.load.ReadingPathRoundTripTest.Producer;
import dev.netmeta.load.format.Decompression;
import dev.netmeta.load.format.MalformedFileException;
import dev.netmeta.load.format.RecordReaders;
import dev.netmeta.load.format.SourceRecord;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mutation properties of the load's reading path: valid files of each format ({@link CsvFileGenerator},
 * {@link ZeekFileGenerator}, {@link NdjsonFileGenerator}) broken by one to three {@link FileMutations} — cut short,
 * a garbage line, flipped bytes (of the text or of the gzip), a cut UTF-8 sequence, the header twice, a column
 * dropped, other line ends, a BOM — must keep the invariants of docs/LOAD.md:
 * <ul>
 *   <li>the readers throw nothing but the declared failures of a whole file (a corrupt or truncated gzip:
 *       {@link EOFException}, {@link ZipException}; {@link MalformedFileException}) — never a runtime exception;</li>
 *   <li>every record read is a document, a named reject or a skip, at consecutive positions; the load's report counts
 *       each once ({@code rowsRead = indexed + rejected + skipped}), and its documents and rejects are those records;
 *   </li>
 *   <li>a file either {@code SUCCEEDED} or {@code FAILED} for good (not retried) with a message that says what is
 *       wrong (corrupt or truncated, malformed, or no row indexed) — never a Java exception's name;</li>
 *   <li>nothing hangs: the records are bounded by the input's size, and a reader that keeps reading at the end of
 *       its input fails the test (the work is bounded, not the time).</li>
 * </ul>
 * Seeded: a failure names its seed; {@code -Dnetmeta.property.seed=<seed> -Dnetmeta.property.files=1} runs it alone.
 */
class ReadingPathMutationTest {

    private static final long SEED = Long.getLong("netmeta.property.seed", 20_180_509L);
    private static final int FILES = Integer.getInteger("netmeta.property.files", 60);

    /** The largest expansion of deflate (1032:1), plus the slack of a short file: more records means a loop. */
    private static final long RECORDS_PER_BYTE = 1032;

    @ParameterizedTest
    @EnumSource(Producer.class)
    void aBrokenFileLoadsAsDocumentsAndNamedRejectsOrFailsAsAWholeWithAClearMessage(Producer producer) {
        int failed = 0;
        long rejected = 0;
        for (int i = 0; i < FILES; i++) {
            long seed = SEED + i;
            ContractValues v = new ContractValues(new Random(seed));
            GeneratedFile file = producer.generate(v, v.random().nextInt(1, 15), false);
            List<FileMutations> mutations = new ArrayList<>();
            for (int n = v.random().nextInt(1, 4); n > 0; n--) {
                mutations.add(v.pick(FileMutations.values()));
            }
            boolean gzip = v.chance(70) || mutations.stream().anyMatch(FileMutations::onGzip);
            byte[] text = file.plain();
            for (FileMutations m : mutations) {
                if (!m.onGzip()) {
                    text = m.apply(v, text, file.format());
                }
            }
            byte[] object = gzip ? new GeneratedFile(file.format(), text, file.records()).gzipped(v) : text;
            for (FileMutations m : mutations) {
                if (m.onGzip()) {
                    object = m.apply(v, object, file.format());
                }
            }
            String what = "seed " + seed + " (" + producer + ", " + mutations + (gzip ? ", gzip" : ", plain") + ")";

            ReaderRun read = read(object, what);
            ReadingPath.Outcome loaded = ReadingPath.load(object);

            check(what, read, loaded);
            failed += loaded.report().status() == LoadReport.Status.FAILED ? 1 : 0;
            rejected += loaded.report().rejected();
        }
        if (FILES >= 50) { // the mutations must bite, or the properties above hold trivially
            assertThat(failed).as("files that failed as a whole").isPositive().isLessThan(FILES);
            assertThat(rejected).as("records rejected").isPositive();
        }
    }

    /** What the readers gave: the records up to the end or the failure, and the failure. */
    record ReaderRun(List<SourceRecord> records, IOException failure) {

        long count(SourceRecord.Kind kind) {
            return records.stream().filter(r -> r.kind() == kind).count();
        }
    }

    /** Reads the object as the load does, through the public entry points, checking each record as it comes. */
    private static ReaderRun read(byte[] object, String what) {
        List<SourceRecord> records = new ArrayList<>();
        long bound = RECORDS_PER_BYTE * object.length + 16;
        try (var reader = RecordReaders.open(Decompression.open(new EndBoundInput(object, what)))) {
            SourceRecord r;
            while ((r = reader.next()) != null) {
                assertThat(r.position()).as(what + ": positions are consecutive").isEqualTo(records.size());
                switch (r.kind()) {
                    case DOCUMENT -> assertThat(r.document()).as(what + ": a document holds a value").isNotEmpty();
                    case REJECT -> assertThat(r.reason()).as(what + ": a reject names its reason").isNotBlank();
                    case SKIP -> assertThat(r.reason()).as(what + ": a skip says why").isNotBlank();
                }
                records.add(r);
                if (records.size() > bound) {
                    fail(what + ": more records than the input can hold: a reader that does not advance");
                }
            }
            return new ReaderRun(records, null);
        } catch (EOFException | ZipException | MalformedFileException declared) {
            return new ReaderRun(records, declared);
        } catch (IOException | RuntimeException undeclared) {
            StringWriter trace = new StringWriter();
            undeclared.printStackTrace(new PrintWriter(trace));
            return fail(what + ": the reader threw what the load does not expect after " + records.size()
                    + " records:\n" + trace);
        }
    }

    private static void check(String what, ReaderRun read, ReadingPath.Outcome loaded) {
        LoadReport report = loaded.report();
        String at = what + ": " + GeneratedFile.printable(report.toString());
        assertThat(report.status()).as(at).isIn(LoadReport.Status.SUCCEEDED, LoadReport.Status.FAILED);
        assertThat(report.unsettled()).as(at).isZero();
        assertThat(report.rowsRead()).as(at + " (rowsRead = indexed + rejected + skipped)")
                .isEqualTo(report.indexed() + report.rejected() + report.skipped());
        assertThat(report.rowsRead()).as(at + ": every record the reader gave").isEqualTo(read.records().size());
        assertThat(report.indexed()).as(at).isEqualTo(read.count(SourceRecord.Kind.DOCUMENT));
        assertThat(report.rejected()).as(at).isEqualTo(read.count(SourceRecord.Kind.REJECT));
        assertThat(loaded.documents()).as(at).hasSize((int) report.indexed());
        assertThat(loaded.rejects()).as(at).hasSize((int) report.rejected());
        for (SourceRecord r : read.records()) {
            boolean indexed = loaded.documents().containsKey(r.position());
            boolean rejected = loaded.rejects().containsKey(r.position());
            assertThat(indexed).as(at + ": record " + r.position() + " indexed").isEqualTo(
                    r.kind() == SourceRecord.Kind.DOCUMENT);
            assertThat(rejected).as(at + ": record " + r.position() + " rejected").isEqualTo(
                    r.kind() == SourceRecord.Kind.REJECT);
            if (rejected) {
                assertThat(loaded.rejects().get(r.position()).reason()).as(at).isEqualTo(r.reason());
            }
        }
        boolean nothingIndexed = report.indexed() == 0 && report.rejected() > 0;
        if (read.failure() == null && !nothingIndexed) {
            assertThat(report.status()).as(at).isEqualTo(LoadReport.Status.SUCCEEDED);
            assertThat(report.error()).as(at).isNull();
            return;
        }
        assertThat(report.status()).as(at).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.retryable()).as(at + ": the same bytes fail the same way").isFalse();
        String error = report.error();
        assertThat(error).as(at).isNotBlank().doesNotContain("Exception").doesNotContain("java.");
        if (read.failure() != null) {
            assertThat(error).as(at).containsAnyOf("corrupt or truncated input after " + report.rowsRead() + " records",
                    "malformed " + report.format() + " input after", "malformed input after");
            assertThat(report.failedAtByte()).as(at).isNotNull();
        } else {
            assertThat(error).as(at).startsWith("no row indexed");
        }
    }

    /**
     * The object's bytes as a stream that fails the test when it is read at its end over and over: a reader that
     * does not stop at the end of its input would loop there.
     */
    private static final class EndBoundInput extends ByteArrayInputStream {
        private final String what;
        private int readsAtEnd;

        EndBoundInput(byte[] bytes, String what) {
            super(bytes);
            this.what = what;
        }

        @Override
        public synchronized int read() {
            return atEnd(super.read());
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return atEnd(super.read(b, off, len));
        }

        private int atEnd(int n) {
            if (n < 0 && ++readsAtEnd > 1000) {
                throw new AssertionError(what + ": read at the end of the input 1000 times: a loop");
            }
            return n;
        }
    }
}
