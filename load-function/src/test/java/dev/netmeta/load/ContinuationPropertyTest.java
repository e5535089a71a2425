package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.load.ReadingPathRoundTripTest.Producer;
import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.ScriptedBulkTransport;
import dev.netmeta.model.Env;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The continuation path (docs/LOAD.md, "Time budget"): when the clock runs low the load stops at a record boundary
 * — the reading loop looks at the clock every {@link PassLedger#BLOCK} records, so at a block boundary — saves a
 * {@code CONTINUING} report and hands the rest to {@code loadContinue}, which reads the object again, skips the
 * records before {@code nextPosition} and goes on. Property: for generated files of every format, loaded with
 * random stops (none to a few per invocation, the first invocation possibly stopping before its first record),
 * reading to each stop and continuing from the saved position sends every record's document exactly once, and the
 * load ends with the same documents (ids, contents, provenance), the same rejects (position, line, raw, reason) and
 * the same report totals and warnings as one uninterrupted read of the same bytes. The files are decorated at the
 * block boundaries where the stops fall: a rejected record just before the stop, and just after it a blank line, a
 * comment, or the header again (a Zeek block's {@code #} lines; a CSV header row, itself a rejected record); CRLF
 * line ends come from the generators. The bulk stand-in refuses a fixed share of the ids for good (as a mapping
 * error would), so rejects of the index are carried across invocations too.
 *
 * <p>Seeded: a failure names its seed; {@code -Dnetmeta.property.seed=<seed> -Dnetmeta.property.files=1} runs that
 * file alone.
 */
class ContinuationPropertyTest {

    private static final long SEED = Long.getLong("netmeta.property.seed", 20_261_128L);
    private static final int FILES = Integer.getInteger("netmeta.property.files", 5);
    private static final String BUCKET = "generated";
    private static final String KEY = "raw/continued.gz";
    private static final long MARGIN = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(Producer.class)
    void readingToAStopAndContinuingIndexesEveryRecordOnceAsOneUninterruptedReadDoes(Producer producer)
            throws Exception {
        int stopsInside = 0;
        for (int i = 0; i < FILES; i++) {
            long seed = SEED + i;
            ContractValues v = new ContractValues(new Random(seed));
            int blocks = v.random().nextInt(1, 4);
            int records = Math.max(1, blocks * PassLedger.BLOCK + v.random().nextInt(-3, 4));
            GeneratedFile file = producer.generate(v, records, false);
            List<String> decorations = new ArrayList<>();
            String text = decorate(v, file, decorations);
            byte[] plain = text.getBytes(StandardCharsets.UTF_8);
            boolean gzip = v.chance(70);
            byte[] object = gzip ? new GeneratedFile(file.format(), plain, file.records()).gzipped(v) : plain;
            String what = "seed " + seed + " (" + producer + (gzip ? ", gzip" : ", plain") + ", " + records
                    + " records, " + decorations + ")";

            Run whole = Run.of(object, invocation -> 1_000_000);
            Run split = Run.of(object, invocation -> invocation == 0 ? v.random().nextInt(0, blocks + 1)
                    : v.random().nextInt(1, 3));

            check(what, whole, split);
            stopsInside += split.reports.size() - 1;
        }
        assertThat(stopsInside).as("loads that stopped and continued").isPositive();
    }

    private static void check(String what, Run whole, Run split) {
        LoadReport one = whole.last();
        LoadReport last = split.last();
        assertThat(whole.reports).as(what + ": the uninterrupted load").hasSize(1);
        assertThat(one.status()).as(what + ": " + one).isNotEqualTo(LoadReport.Status.CONTINUING);
        long position = 0;
        for (LoadReport r : split.reports.subList(0, split.reports.size() - 1)) {
            assertThat(r.status()).as(what + ": " + r).isEqualTo(LoadReport.Status.CONTINUING);
            assertThat(r.nextPosition()).as(what + ": a stop at a block boundary, not before the last one: " + r)
                    .isGreaterThanOrEqualTo(position).isEqualTo(r.nextPosition() / PassLedger.BLOCK * PassLedger.BLOCK);
            assertThat(r.rowsRead()).as(what + ": every record before the stop counted: " + r)
                    .isEqualTo(r.nextPosition()).isEqualTo(r.indexed() + r.rejected() + r.skipped());
            position = r.nextPosition();
        }
        assertThat(last.invocations()).as(what).isEqualTo(split.reports.size());
        assertThat(List.of(last.status(), last.format(), last.rowsRead(), last.indexed(), last.rejected(),
                last.skipped(), last.unsettled(), String.valueOf(last.error()), String.valueOf(last.warnings()),
                String.valueOf(last.rejectsObject())))
                .as(what + ": the report as one read's\n  one:   " + one + "\n  split: " + last)
                .isEqualTo(List.of(one.status(), one.format(), one.rowsRead(), one.indexed(), one.rejected(),
                        one.skipped(), one.unsettled(), String.valueOf(one.error()), String.valueOf(one.warnings()),
                        String.valueOf(one.rejectsObject())));
        assertThat(split.sent).as(what + ": every document sent exactly once").allSatisfy((id, times) ->
                assertThat(times.get()).as(id).isEqualTo(1));
        assertThat(split.sent.keySet()).as(what + ": the documents sent").isEqualTo(whole.sent.keySet());
        assertThat(split.stored).as(what + ": the documents indexed, by id").isEqualTo(whole.stored);
        assertThat(split.rejects).as(what + ": the rejects, by position").isEqualTo(whole.rejects);
    }

    /** How many blocks an invocation may read before its clock runs low (its index: 0 for the first). */
    @FunctionalInterface
    private interface Stops {
        int blocks(int invocation);
    }

    /** One load of the object through its invocations, as the load and loadContinue functions run it. */
    private record Run(List<LoadReport> reports, Map<String, JsonNode> stored, Map<String, AtomicInteger> sent,
                       Map<Long, Reject> rejects) {

        LoadReport last() {
            return reports.get(reports.size() - 1);
        }

        static Run of(byte[] object, Stops stops) throws Exception {
            InMemoryPorts ports = new InMemoryPorts();
            ports.objects.put(BUCKET + "/" + KEY, object);
            Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();
            ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> {
                sent.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                return Math.floorMod(id.hashCode(), 41) == 0 ? 400 : 201; // a mapping error, the same every time
            });
            List<LoadReport> reports = new ArrayList<>();
            try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 300, 8 << 20, 2,
                    new Backoff(1, 2, 3))) {
                LoadService service = new LoadService(LoadSettings.from(new Env(Map.of())), ports, indexer, ports,
                        ports, ports, () -> { }, new FakeStaleDocuments(),
                        new LoadLog(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)),
                        Clock.systemUTC());
                reports.addAll(service.load(InMemoryPorts.event(BUCKET, KEY), clock(stops.blocks(0))));
                for (int invocation = 1; reports.get(reports.size() - 1).status() == LoadReport.Status.CONTINUING;
                        invocation++) {
                    assertThat(invocation).as("invocations").isLessThan(50);
                    LoadContinuation payload = ports.continuations.remove(0);
                    // as the Lambda runtime hands it over: serialized to JSON and read back into the bean
                    LoadContinuation delivered = JSON.readValue(JSON.writeValueAsString(payload),
                            LoadContinuation.class);
                    reports.add(service.resume(delivered, clock(stops.blocks(invocation))));
                }
            }
            assertThat(ports.continuations).as("continuations not run").isEmpty();
            Map<Long, Reject> rejects = new TreeMap<>();
            for (Reject reject : ports.rejects.getOrDefault(KEY, List.of())) {
                assertThat(rejects.put(reject.position(), reject)).as("two rejects of position " + reject.position())
                        .isNull();
            }
            return new Run(reports, Map.copyOf(transport.stored), sent, rejects);
        }

        /**
         * An invocation's clock: plenty of time for the reads that start {@code blocks} blocks (the loader reads it
         * once as the pass starts, then before each block), then less than the margin — reading stops — but more
         * than half of it, so that what was read is still sent and acknowledged (no cut-back).
         */
        private static Deadline clock(int blocks) {
            AtomicInteger reads = new AtomicInteger();
            return () -> reads.incrementAndGet() <= blocks + 1 ? 10 * MARGIN : MARGIN * 2 / 3;
        }
    }

    /**
     * The file's text with lines inserted at the block boundaries where a stop can fall: before the boundary a
     * rejected record (so the stop comes right after it), after it a blank line, a comment or the header again.
     */
    private static String decorate(ContractValues v, GeneratedFile file, List<String> done) {
        GeneratedFile.Layout layout = file.layout();
        String eol = layout.eol();
        int n = layout.ends().size();
        StringBuilder out = new StringBuilder();
        int copied = 0;
        int added = 0; // records inserted so far
        for (int boundary = PassLedger.BLOCK; boundary < n + added; boundary += PassLedger.BLOCK) {
            boolean reject = v.chance(50);
            String after = switch (v.random().nextInt(4)) {
                case 0 -> null;
                case 1 -> "blank";
                case 2 -> "comment";
                default -> "header";
            };
            int j = boundary - 1 - added - (reject ? 1 : 0); // the record after which the lines go
            if (j < 0 || j >= n - 1 || !reject && after == null) {
                continue;
            }
            StringBuilder lines = new StringBuilder();
            if (reject) {
                lines.append(switch (file.format()) {
                    case "csv" -> "\"x\"y";
                    case "zeek-tsv" -> "x";
                    default -> "not json";
                }).append(eol);
                added++;
            }
            if (after != null) {
                switch (file.format() + " " + after) {
                    case "csv header" -> {
                        lines.append(layout.headers().get(0)).append(eol);
                        added++;
                    }
                    case "zeek-tsv comment" -> lines.append("#close\t2018-05-09-15-00-00").append(eol);
                    case "zeek-tsv header" -> lines.append(layout.headers().floorEntry(j).getValue());
                    case "ndjson comment", "ndjson header", "csv comment" -> lines.append(eol).append(eol);
                    default -> lines.append(eol);
                }
            }
            int at = layout.ends().get(j);
            out.append(layout.text(), copied, at).append(lines);
            copied = at;
            done.add((reject ? "a reject" : "") + (reject && after != null ? " and " : "")
                    + (after == null ? "" : "a " + after) + " at the stop after record " + (boundary - 1));
        }
        return out.append(layout.text(), copied, layout.text().length()).toString();
    }
}
