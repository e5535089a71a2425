package dev.netmeta.local.runner;

import dev.netmeta.local.runner.invoke.InvocationResult;
import dev.netmeta.local.runner.watch.BucketWatcher;
import dev.netmeta.local.runner.watch.LoadReport;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The console lines a person reads while the local runner works. */
class ProgressTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Progress progress = new Progress(new PrintStream(out, true, StandardCharsets.UTF_8));

    private String console() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRunOfSmallFilesShowsItsRateInKilobytesNotAsZeroMegabytes() {
        String summary = "{\"copied\":1,\"bytes\":2000,\"durationMs\":200,\"listed\":1}";
        progress.syncFinished("schedule", new InvocationResult("r", summary.getBytes(StandardCharsets.UTF_8), null, null, 200),
                List.of(new Progress.CopiedObject("raw/a.csv.gz", 2000)));

        assertThat(console())
                .contains("synced  raw/a.csv.gz  2.0 KB  (run average 10.0 KB/s)")
                .contains("sync (schedule) in 0.2 s: 1 file seen: 1 copied (2.0 KB, 10.0 KB/s)")
                .doesNotContain("0.0 MB/s");
    }

    @Test
    void aRunOfLargeFilesShowsMegabytesPerSecond() {
        assertThat(Progress.rate(50_000_000, 1000)).isEqualTo("50.0 MB/s");
        assertThat(Progress.rate(100_000, 1000)).isEqualTo("0.1 MB/s");
        assertThat(Progress.rate(99_999, 1000)).isEqualTo("100.0 KB/s");
        assertThat(Progress.rate(0, 1000)).isNull();
        assertThat(Progress.rate(10, 0)).isNull();
    }

    @Test
    void aSlowRateOfRowsKeepsOneDecimalInsteadOfReadingZero() {
        progress.objectLoaded("raw/slow.csv.gz", 64, new LoadReport("SUCCEEDED", 1, 1, 0, 2100, null, null), true);

        assertThat(console()).contains("1 row: 1 indexed, 0 rejected in 2.1 s, 0.5 rows/s");
        assertThat(Progress.rowsPerSecond(12_345.6)).isEqualTo("12,345");
    }

    @Test
    void aFileThatFailedBeforeItsFirstRowShowsNoRate() {
        progress.objectLoaded("raw/bad.csv.gz", 64, new LoadReport("FAILED", 0, 0, 0, 20, "corrupt input", null), true);

        assertThat(console()).contains("FAILED   raw/bad.csv.gz  0 rows: 0 indexed, 0 rejected  (FAILED: corrupt input)")
                .doesNotContain("rows/s");
    }

    @Test
    void oneRowIsNotCalledRows() {
        progress.objectLoaded("raw/one.ndjson.gz", 40, new LoadReport("SUCCEEDED", 1, 1, 0, 500, null, null), true);
        progress.objectLoaded("raw/two.ndjson.gz", 80, new LoadReport("SUCCEEDED", 2, 2, 0, 500, null, null), true);

        assertThat(console())
                .contains("loaded   raw/one.ndjson.gz  1 row: 1 indexed, 0 rejected in 0.5 s, 2.0 rows/s")
                .contains("loaded   raw/two.ndjson.gz  2 rows: 2 indexed, 0 rejected in 0.5 s, 4.0 rows/s");
    }

    @Test
    void aLoadContinuedAtStartShowsNoRateAlsoAfterARetryOfItsContinuation() {
        // the retry of a continuation that failed retryably (a download cut short) printed "in 561.4 s, 2,671 rows/s":
        // a rate over the load's first start, before the stop
        com.fasterxml.jackson.databind.node.ObjectNode retryable = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode().put("status", "FAILED").put("retryable", true);
        progress.objectContinued("raw/big.csv.gz", 16_000_000, 664_576, "loadContinue");
        progress.objectLoaded("raw/big.csv.gz", 16_000_000, new LoadReport("FAILED", 1_109_806, 1_109_806, 0, 417_856,
                "the download ended after 11927040 of 16252353 bytes", retryable), true);
        progress.objectLoaded("raw/big.csv.gz", 16_000_000, new LoadReport("SUCCEEDED", 1_500_000, 1_500_000, 0,
                561_400, null, null), true);
        progress.objectDelivered("raw/big.csv.gz", 17_000_000, null, null);
        progress.objectLoaded("raw/big.csv.gz", 17_000_000, new LoadReport("SUCCEEDED", 10, 10, 0, 1_000, null, null),
                true);

        assertThat(console())
                .contains("FAILED   raw/big.csv.gz  1,109,806 rows: 1,109,806 indexed, 0 rejected (continued from row"
                        + " 664,576 at this start)")
                .contains("loaded   raw/big.csv.gz  1,500,000 rows: 1,500,000 indexed, 0 rejected (continued from row"
                        + " 664,576 at this start)")
                .doesNotContain("2,671 rows/s")
                .as("a new delivery of the key loads from its first row, with its rate")
                .contains("loaded   raw/big.csv.gz  10 rows: 10 indexed, 0 rejected in 1.0 s, 10 rows/s");
    }

    private static InvocationResult summary(String json) {
        return new InvocationResult("r", json.getBytes(StandardCharsets.UTF_8), null, null, 200);
    }

    @Test
    void theSyncLineCountsEveryFileSeenAndSaysWhenAFileStillBeingWrittenIsTaken() {
        // SyncSummary: "listed" excludes the files that match no FTP_PATTERNS; it printed "5 listed, 1 not matching"
        // for 6 files, and "still being written (skipped)" without saying what happens to the file
        progress.syncFinished("start", summary("{\"mode\":\"scheduled\",\"listed\":5,\"notMatching\":1,\"new\":5,"
                + "\"copied\":4,\"skippedUnstable\":1,\"skippedPresent\":0,\"deferred\":0,\"fannedOut\":0,\"failed\":0,"
                + "\"failures\":[],\"bytes\":238284,\"durationMs\":200}"), List.of());

        assertThat(console()).contains("sync (start) in 0.2 s: 6 files seen: 4 copied (232.7 KB, 1.2 MB/s), "
                        + "1 still being written (modified less than SYNC_MIN_AGE_SECONDS ago; a later run copies it), "
                        + "1 not matching FTP_PATTERNS (ignored)")
                .doesNotContain("listed");
    }

    @Test
    void theSyncLineNamesEveryKindOfFileItDidNotCopy() {
        progress.syncFinished("/_local/sync", summary("{\"listed\":9,\"notMatching\":0,\"copied\":0,"
                + "\"skippedUnstable\":2,\"skippedPresent\":4,\"deferred\":1,\"fannedOut\":1,\"failed\":1,"
                + "\"failures\":[{\"file\":\"/x.csv.gz\",\"reason\":\"550 denied\"}],\"bytes\":0,\"durationMs\":100}"), List.of());

        assertThat(console()).contains("sync (/_local/sync) in 0.1 s: 9 files seen: 0 copied, 4 already in S3, "
                        + "2 still being written (modified less than SYNC_MIN_AGE_SECONDS ago; a later run copies them), "
                        + "1 deferred to the next run (out of time), 1 fanned out to copy-file invocations, 1 failed")
                .contains("FAILED  /x.csv.gz  550 denied");
    }

    @Test
    void theSyncLineSaysWhenTheListingWentOnAfterADroppedSession() {
        progress.syncFinished("schedule", summary("{\"listed\":7,\"notMatching\":0,\"copied\":7,"
                + "\"listingSessionsDropped\":2,\"failed\":0,\"failures\":[],\"bytes\":0,\"durationMs\":900}"), List.of());
        progress.syncFinished("schedule", summary("{\"listed\":1,\"notMatching\":0,\"copied\":1,"
                + "\"listingSessionsDropped\":1,\"failed\":0,\"failures\":[],\"bytes\":0,\"durationMs\":900}"), List.of());
        progress.syncFinished("schedule", summary("{\"listed\":1,\"notMatching\":0,\"copied\":1,"
                + "\"listingSessionsDropped\":0,\"failed\":0,\"failures\":[],\"bytes\":0,\"durationMs\":900}"), List.of());

        assertThat(console()).contains("sync (schedule) in 0.9 s: 7 files seen: 7 copied; the FTP server dropped the"
                        + " listing's session 2 times, and the listing went on from where it was (logs/output.log names"
                        + " where)")
                .contains("1 file seen: 1 copied; the FTP server dropped the listing's session once, and")
                .contains("1 file seen: 1 copied\n");
    }

    @Test
    void anEmptyDirectoryIsZeroFilesSeen() {
        progress.syncFinished("start", summary("{\"listed\":0,\"notMatching\":0,\"copied\":0,\"bytes\":0,\"durationMs\":40}"),
                List.of());

        assertThat(console()).contains("sync (start) in 0.0 s: 0 files seen");
    }

    @Test
    void theSyncLineNamesTheMinimumAgeItWasGiven() {
        progress.syncMinAgeSeconds("120");
        progress.syncFinished("start", summary("{\"listed\":1,\"notMatching\":0,\"copied\":0,\"skippedUnstable\":1,"
                + "\"bytes\":0,\"durationMs\":40}"), List.of());

        assertThat(console()).contains("1 still being written (modified less than SYNC_MIN_AGE_SECONDS = 120 s ago; "
                + "a later run copies it: the next scheduled one, or POST /_local/sync again after ");
    }

    @Test
    void aFileStillBeingWrittenSaysWhenToSyncAgain() {
        // "a later run copies it" while the next scheduled run was 2 hours away: the user did not know to POST again
        progress.syncMinAgeSeconds("120");
        java.time.LocalTime before = java.time.LocalTime.now();
        progress.syncFinished("/_local/sync", summary("{\"listed\":1,\"notMatching\":0,\"copied\":0,"
                + "\"skippedUnstable\":1,\"bytes\":0,\"durationMs\":40}"), List.of());

        java.util.regex.Matcher when = java.util.regex.Pattern.compile("a later run copies it: the next scheduled one, "
                + "or POST /_local/sync again after (\\d\\d:\\d\\d:\\d\\d)\\)").matcher(console());
        assertThat(when.find()).as(console()).isTrue();
        // the files it held back were modified after its listing less the minimum age: all are old enough by then
        long after = (java.time.LocalTime.parse(when.group(1)).toSecondOfDay() - before.toSecondOfDay() + 86_400) % 86_400;
        assertThat(after).isBetween(120L, 123L);
    }

    @Test
    void withoutAKnownMinimumAgeTheLineSaysNoTime() {
        progress.syncMinAgeSeconds("${env:X}");
        progress.syncFinished("start", summary("{\"listed\":2,\"notMatching\":0,\"copied\":0,\"skippedUnstable\":2,"
                + "\"bytes\":0,\"durationMs\":40}"), List.of());

        assertThat(console()).contains("2 still being written (modified less than SYNC_MIN_AGE_SECONDS = ${env:X} s ago;"
                + " a later run copies them)");
    }

    // ---- the line that says the first sync's files (the samples) are searchable ----

    private static final String TRY = "curl -sG 'http://127.0.0.1:3000/metadata/search' --data-urlencode 'q=host:google.com'";
    private static final List<String> SAMPLES = List.of("raw/2018-05-09-dns.log.gz", "raw/2018-05-09-flows-cicflowmeter.csv.gz",
            "raw/2018-05-09-http.csv.gz", "raw/2018-05-09-eve-tls.json.gz");

    private void firstSyncCopied(List<String> keys) {
        String json = "{\"listed\":" + keys.size() + ",\"notMatching\":0,\"copied\":" + keys.size()
                + ",\"failed\":0,\"failures\":[],\"bytes\":" + 1000 * keys.size() + ",\"durationMs\":200}";
        progress.syncFinished("start", summary(json), keys.stream().map(k -> new Progress.CopiedObject(k, 1000)).toList(),
                key -> key.startsWith("raw/"));
    }

    private static LoadReport succeeded(long rows) {
        return new LoadReport("SUCCEEDED", rows, rows, 0, 1500, null, null);
    }

    private long count(String text) {
        return console().lines().filter(l -> l.contains(text)).count();
    }

    @Test
    void oneLineSaysTheSamplesAreSearchableOnceEveryFileTheFirstSyncCopiedIsLoaded() {
        progress.samplesSeeded(4);
        progress.searchable(TRY, "http://127.0.0.1:3000/_local/status");
        firstSyncCopied(SAMPLES);
        for (int i = 0; i < 3; i++) {
            progress.objectLoaded(SAMPLES.get(i), 1000, succeeded(2_500), true);
        }
        assertThat(console()).as("three of four loaded").doesNotContain("samples loaded");

        progress.objectLoaded(SAMPLES.get(3), 1000, succeeded(2_500), true);
        progress.loadsQuiet();
        firstSyncCopied(List.of("raw/later.csv.gz"));
        progress.objectLoaded("raw/later.csv.gz", 1000, succeeded(7), true);
        progress.loadsQuiet();

        assertThat(console()).contains("samples loaded: 4 files, 10,000 rows indexed — try: " + TRY);
        assertThat(count("samples loaded")).as("once per start").isEqualTo(1);
        assertThat(console().lines().filter(l -> l.contains("loaded")).toList().indexOf(
                console().lines().filter(l -> l.contains("samples loaded")).findFirst().orElseThrow()))
                .as("after the four loads").isEqualTo(4);
    }

    @Test
    void loadsThatFinishBeforeTheSyncReportsItsRunStillCount() {
        progress.samplesSeeded(4);
        progress.searchable(TRY, "http://127.0.0.1:3000/_local/status");
        // a long run: the bucket watcher delivers its first copies while it still runs
        progress.objectLoaded(SAMPLES.get(0), 1000, succeeded(2_500), true);
        progress.objectLoaded(SAMPLES.get(1), 1000, succeeded(2_500), true);
        firstSyncCopied(SAMPLES);
        progress.objectLoaded(SAMPLES.get(2), 1000, succeeded(2_500), true);
        progress.objectLoaded(SAMPLES.get(3), 1000, new LoadReport("SUCCEEDED", 2_500, 2_490, 10, 1500, null, null), true);

        assertThat(console()).contains("samples loaded: 4 files, 9,990 rows indexed, 10 rejected — try: " + TRY);
    }

    @Test
    void withoutSamplesTheFilesOfTheFirstSyncAreNamedAsSuch() {
        progress.searchable(TRY, "http://127.0.0.1:3000/_local/status");
        firstSyncCopied(List.of("raw/a.csv.gz", "raw/b.csv.gz", "other/c.csv.gz"));
        progress.objectLoaded("raw/a.csv.gz", 1000, succeeded(3_000), true);
        progress.objectLoaded("raw/b.csv.gz", 1000, succeeded(1_234), true);

        assertThat(console()).as("other/c.csv.gz is delivered to no function: not waited for")
                .contains("first sync's files loaded: 2 files, 4,234 rows indexed — try: " + TRY)
                .doesNotContain("samples");
    }

    @Test
    void nothingIsSaidWhenTheFirstSyncCopiedNothing() {
        progress.searchable(TRY, "http://127.0.0.1:3000/_local/status");
        firstSyncCopied(List.of());
        firstSyncCopied(List.of("raw/a.csv.gz")); // a later run: not the first sync
        progress.objectLoaded("raw/a.csv.gz", 1000, succeeded(3_000), true);
        progress.loadsQuiet();

        assertThat(console()).doesNotContain("files loaded").doesNotContain("samples").doesNotContain("try:");
    }

    @Test
    void aFailedLoadIsSaidInsteadOfLoadedOnceNothingRunsOrWaits() {
        progress.samplesSeeded(4);
        progress.searchable(TRY, "http://127.0.0.1:3000/_local/status");
        firstSyncCopied(SAMPLES);
        progress.objectLoaded(SAMPLES.get(0), 1000, succeeded(2_500), true);
        progress.objectLoaded(SAMPLES.get(1), 1000, succeeded(2_500), true);
        progress.objectLoaded(SAMPLES.get(2), 1000, new LoadReport("FAILED", 0, 0, 0, 20, "corrupt input", null), true);
        progress.objectFailed(SAMPLES.get(3), "Runtime.ExitError: boom");
        assertThat(console()).as("a failed load may still be retried").doesNotContain("samples NOT");

        progress.loadsQuiet();

        assertThat(console()).doesNotContain("samples loaded")
                .contains("samples NOT all loaded: 2 of 4 files loaded (5,000 rows indexed); FAILED: "
                        + SAMPLES.get(2) + " (FAILED: corrupt input), " + SAMPLES.get(3) + " (Runtime.ExitError: boom)"
                        + " — see http://127.0.0.1:3000/_local/status");
        progress.loadsQuiet();
        assertThat(count("samples NOT")).isEqualTo(1);
    }

    @Test
    void aFailedLoadThatARetryLoadsIsNotReportedAsFailed() {
        progress.samplesSeeded(1);
        progress.searchable(TRY, "http://127.0.0.1:3000/_local/status");
        firstSyncCopied(SAMPLES.subList(0, 1));
        progress.objectLoaded(SAMPLES.get(0), 1000, new LoadReport("FAILED", 10, 0, 0, 20, "OpenSearch 503", null), true);
        progress.objectLoaded(SAMPLES.get(0), 1000, succeeded(2_500), true); // the retry's report

        assertThat(console()).contains("samples loaded: 1 file, 2,500 rows indexed").doesNotContain("samples NOT");
    }

    @Test
    void filesTheFirstSyncCouldNotCopyAreSaidToo() {
        progress.samplesSeeded(2);
        progress.searchable(TRY, "http://127.0.0.1:3000/_local/status");
        progress.syncFinished("start", summary("{\"listed\":2,\"notMatching\":0,\"copied\":1,\"failed\":1,"
                        + "\"failures\":[{\"file\":\"/b.csv.gz\",\"reason\":\"550 denied\"}],\"bytes\":1000,\"durationMs\":200}"),
                List.of(new Progress.CopiedObject("raw/a.csv.gz", 1000)), key -> true);
        progress.objectLoaded("raw/a.csv.gz", 1000, succeeded(2_500), true);
        progress.loadsQuiet();

        assertThat(console()).doesNotContain("samples loaded")
                .contains("samples NOT all loaded: 1 of 2 files loaded (2,500 rows indexed); 1 not copied by the sync "
                        + "(FAILED line above)");
    }

    // ---- the ready line: a search only when there is something to find ----

    private static final String SEARCH = "curl 'http://127.0.0.1:3000/metadata/search?q=host:google.com'";
    private static final String STATUS = "http://127.0.0.1:3000/_local/status";

    private String readyLine() {
        return console().lines().filter(l -> l.contains("ready in ")).findFirst().orElseThrow();
    }

    @Test
    void whileTheSamplesSeededAtThisStartAreOnTheirWayTheReadyLineSaysSoInsteadOfOfferingASearch() {
        // a first run: the curl of the ready line found 0 hits for the ~6 s until "samples loaded"
        progress.samplesSeeded(4);
        progress.searchable(TRY, STATUS);

        progress.ready(5_234, SEARCH, STATUS, true, null);

        assertThat(readyLine()).endsWith("  ready in 5.2 s: syncing and loading the 4 sample files; a line follows when they"
                + " are loaded   status: " + STATUS).doesNotContain("curl");
        firstSyncCopied(SAMPLES);
        SAMPLES.forEach(key -> progress.objectLoaded(key, 1000, succeeded(2_500), true));
        assertThat(console()).contains("samples loaded: 4 files, 10,000 rows indexed — try: " + TRY);
    }

    @Test
    void withNothingPendingTheReadyLineOffersTheSearch() {
        progress.searchable(TRY, STATUS);
        progress.ready(4_000, SEARCH, STATUS, true, null); // a restart: nothing seeded at this start

        assertThat(readyLine()).endsWith("  ready in 4.0 s: " + SEARCH + "   status: " + STATUS);
    }

    @Test
    void onARestartWithSamplesPastTheRetentionTheReadyLineSaysSoInsteadOfOfferingTheSearch() {
        progress.searchable(TRY, STATUS);
        progress.ready(4_000, SEARCH, STATUS, true, "no sample search to try: …");

        assertThat(readyLine()).endsWith("  ready in 4.0 s: no sample search to try: …   status: " + STATUS)
                .doesNotContain("curl");
    }

    @Test
    void samplesSeededAtThisStartPastTheRetentionStillPromiseTheirLine() {
        // the line that follows their loads says 0 indexed, all expired (rowsPastTheIndexRetentionAreCounted…)
        progress.samplesSeeded(4);
        progress.searchable(TRY, STATUS);
        progress.ready(4_000, SEARCH, STATUS, true, "no sample search to try: …");

        assertThat(readyLine()).contains("syncing and loading the 4 sample files; a line follows");
    }

    @Test
    void samplesThatNoSyncTakesAtStartLeaveTheSearchInTheReadyLine() {
        progress.samplesSeeded(4); // a disabled schedule: nothing is on its way until POST /_local/sync
        progress.searchable(TRY, STATUS);
        progress.ready(4_000, SEARCH, STATUS, false, null);

        assertThat(readyLine()).contains(SEARCH).doesNotContain("sample");
    }

    @Test
    void samplesAlreadyLoadedWhenTheReadyLineComesLeaveTheSearchInIt() {
        progress.samplesSeeded(1);
        progress.searchable(TRY, STATUS);
        firstSyncCopied(SAMPLES.subList(0, 1));
        progress.objectLoaded(SAMPLES.get(0), 1000, succeeded(2_500), true);

        progress.ready(9_000, SEARCH, STATUS, true, null);

        assertThat(readyLine()).contains(SEARCH).doesNotContain("a line follows");
    }

    @Test
    void aReadyLineThatAnnouncedALineGetsOneWhenTheFirstSyncCopiesNoneOfTheSamples() {
        // e.g. the FTP root emptied by hand, the bucket kept: the samples are seeded again but already in S3
        progress.samplesSeeded(4);
        progress.searchable(TRY, STATUS);
        progress.ready(5_000, SEARCH, STATUS, true, null);
        progress.syncFinished("start", summary("{\"listed\":4,\"notMatching\":0,\"copied\":0,\"skippedPresent\":4,"
                + "\"failed\":0,\"failures\":[],\"bytes\":0,\"durationMs\":50}"), List.of(), key -> true);

        assertThat(console()).contains("samples: nothing to load, the first sync copied none of them (see " + STATUS
                + ") — try: " + TRY);
    }

    @Test
    void withoutAnAnnouncementAFirstSyncThatCopiesNothingStaysSilent() {
        progress.samplesSeeded(4);
        progress.searchable(TRY, STATUS);
        progress.syncFinished("start", summary("{\"listed\":4,\"notMatching\":0,\"copied\":0,\"skippedPresent\":4,"
                + "\"failed\":0,\"failures\":[],\"bytes\":0,\"durationMs\":50}"), List.of(), key -> true);

        assertThat(console()).doesNotContain("samples");
    }

    @Test
    void whenTheS3RulesDeliverNoneOfTheCopiedSamplesTheAnnouncedLineNamesTheRulesNotTheSync() {
        // a manifest whose load function takes suffix .ndjson: the sync copied all four, the watcher delivers none
        progress.samplesSeeded(4);
        progress.searchable(TRY, STATUS);
        progress.deliveredBy("load", "prefix 'raw/' and suffix '.ndjson'");
        progress.ready(5_000, SEARCH, STATUS, true, null);
        progress.syncFinished("start", summary("{\"listed\":4,\"notMatching\":0,\"copied\":4,\"failed\":0,"
                        + "\"failures\":[],\"bytes\":4000,\"durationMs\":50}"),
                SAMPLES.stream().map(k -> new Progress.CopiedObject(k, 1000)).toList(), key -> false);
        progress.loadsQuiet();

        assertThat(console()).contains("samples: nothing to load, the first sync copied 4 files and none is delivered"
                        + " (the s3 rules of load match none of them: prefix 'raw/' and suffix '.ndjson') — see " + STATUS)
                .as("the sync did copy them; a search would find nothing").doesNotContain("copied none")
                .doesNotContain("try:");
        assertThat(count("samples")).isEqualTo(1);
    }

    @Test
    void oneCopiedSampleNoneDeliveredAndOneTheSyncCouldNotCopyAreBothSaid() {
        progress.samplesSeeded(2);
        progress.searchable(TRY, STATUS);
        progress.deliveredBy("load", "suffix '.ndjson'");
        progress.ready(5_000, SEARCH, STATUS, true, null);
        progress.syncFinished("start", summary("{\"listed\":2,\"notMatching\":0,\"copied\":1,\"failed\":1,"
                        + "\"failures\":[{\"file\":\"/b.csv.gz\",\"reason\":\"550 denied\"}],\"bytes\":1000,\"durationMs\":200}"),
                List.of(new Progress.CopiedObject("raw/a.csv.gz", 1000)), key -> false);

        assertThat(console()).contains("samples: nothing to load, the first sync copied 1 file and none is delivered"
                + " (the s3 rules of load do not match it: suffix '.ndjson'); 1 not copied by the sync (FAILED line"
                + " above) — see " + STATUS).doesNotContain("try:");
    }

    @Test
    void copiedFilesNotDeliveredStaySilentWithoutAnAnnouncement() {
        progress.samplesSeeded(4);
        progress.searchable(TRY, STATUS);
        progress.deliveredBy("load", "suffix '.ndjson'");
        firstSyncCopied(SAMPLES.stream().map(k -> "other/" + k).toList()); // delivered: raw/ only

        assertThat(console()).doesNotContain("samples").doesNotContain("first sync's files");
    }

    @Test
    void aFailedFirstSyncSaysTheAnnouncedLineWaitsForARunThatDoesNotFailAndARetryKeepsThePromise() {
        progress.samplesSeeded(4);
        progress.searchable(TRY, STATUS);
        progress.ready(5_000, SEARCH, STATUS, true, null);
        InvocationResult timedOut = new InvocationResult("r", null, "Sandbox.Timedout",
                "Task timed out after 900.00 seconds", 900_000);
        progress.syncFinished("start; retried in 2 s", timedOut, List.of(), key -> true);
        progress.syncFinished("start, retry 1 of 2; retried in 4 s", timedOut, List.of(), key -> true);
        progress.loadsQuiet();

        assertThat(console()).contains("samples: not synced, the first sync FAILED (line above); the line about them"
                + " follows the first run that does not fail (a retry, the next scheduled run or POST /_local/sync)"
                + " — see " + STATUS).doesNotContain("samples loaded").doesNotContain("try:");
        assertThat(count("samples:")).as("said once, not per failed run").isEqualTo(1);

        firstSyncCopied(SAMPLES); // retry 2 of 2
        SAMPLES.forEach(key -> progress.objectLoaded(key, 1000, succeeded(2_500), true));
        assertThat(console()).contains("samples loaded: 4 files, 10,000 rows indexed — try: " + TRY);
    }

    @Test
    void aFailedSyncWithoutAnAnnouncementSaysNothingAboutTheSamples() {
        progress.samplesSeeded(4);
        progress.searchable(TRY, STATUS);
        progress.syncFinished("start", new InvocationResult("r", null, "Runtime.ExitError", "boom", 10), List.of(),
                key -> true);

        assertThat(console()).contains("sync FAILED (start)").doesNotContain("samples");
    }

    // ---- the summary when the runner stops: what this run did ----

    private String summaryLine() {
        progress.summary(java.time.Duration.ofSeconds(100));
        return console().lines().filter(l -> l.contains("stopped after")).reduce((first, last) -> last).orElseThrow();
    }

    @Test
    void theSummaryCountsFailedLoadsApartFromLoadedOnesAndTheirRowsNotAsIndexed() {
        progress.objectLoaded("raw/a.csv.gz", 1000, new LoadReport("SUCCEEDED", 100, 90, 10, 500, null, null), true);
        progress.objectLoaded("raw/b.csv.gz", 1000, succeeded(50), true);
        // a truncated file: rows indexed before the break, then FAILED
        progress.objectLoaded("raw/trunc.csv.gz", 1000, new LoadReport("FAILED", 49_546, 49_546, 0, 900,
                "corrupt or truncated input", null), true);
        progress.objectFailed("raw/c.csv.gz", "Runtime.ExitError: boom");

        assertThat(summaryLine()).endsWith("stopped after 100 s: 0 sync runs, 0 files copied (0 B), 2 files loaded "
                + "(140 rows indexed, 10 rejected), 2 files FAILED to load");
    }

    @Test
    void rowsPastTheIndexRetentionAreCountedInTheSamplesLineAndTheSummaryAndNoSearchIsOfferedForNone() {
        progress.samplesSeeded(1);
        progress.searchable(TRY, "http://127.0.0.1:3000/_local/status");
        firstSyncCopied(List.of(SAMPLES.get(0)));
        // the samples are of 2018: with --index-retention-days 30 every row is expired
        progress.objectLoaded(SAMPLES.get(0), 1000, expired(2_500), true);
        progress.objectLoaded("raw/b.csv.gz", 1000, succeeded(50), true);

        assertThat(console()).contains("samples loaded: 1 file, 0 rows indexed, 2,500 expired (past"
                + " INDEX_RETENTION_DAYS)").doesNotContain("try: ");
        assertThat(summaryLine()).contains("2 files loaded (50 rows indexed, 0 rejected, 2,500 expired)");
    }

    private static LoadReport expired(long rows) {
        com.fasterxml.jackson.databind.node.ObjectNode raw = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .build().createObjectNode().put("status", "SUCCEEDED").put("rowsRead", rows).put("indexed", 0)
                .put("rejected", 0).put("skipped", 0).put("expired", rows).put("durationMs", 1500);
        return LoadReport.of(raw);
    }

    @Test
    void aLoadCutOffByTheStopIsNeitherLoadedNorFailedButNamedApart() {
        progress.objectLoaded("raw/a.csv.gz", 1000, succeeded(100), true);
        // the stop interrupted the indexer: the load saved a FAILED report during the grace
        progress.objectCutOffByStop("raw/big.csv.gz", 1000, new LoadReport("FAILED", 120_000, 100_000, 0, 9_000,
                "out of time and the continuation could not be scheduled: Runtime.Shutdown", null), null);

        assertThat(console()).contains("cut off  raw/big.csv.gz  120,000 rows read, 100,000 indexed  (the stop "
                + "cut it off: out of time and the continuation could not be scheduled: Runtime.Shutdown; "
                + "delivered again at the next start)").doesNotContain("FAILED   raw/big.csv.gz");
        assertThat(summaryLine()).endsWith("1 file loaded (100 rows indexed, 0 rejected), 1 load cut off by the stop "
                + "(taken up again at the next start), no failures");
    }

    @Test
    void aFileThatFailedEarlierInTheRunAndWhoseLastLoadTheStopCutOffIsNotCountedAsFailed() {
        progress.objectLoaded("raw/x.csv.gz", 1000, new LoadReport("FAILED", 10, 0, 0, 20, "OpenSearch 503", null), true);
        progress.objectCutOffByStop("raw/x.csv.gz", 1000, new LoadReport("FAILED", 0, 0, 0, 20, null, null), null);
        progress.objectCutOffByStop("raw/y.csv.gz", 1000, new LoadReport("FAILED", 0, 0, 0, 20, null, null), null);

        assertThat(console()).contains("cut off  raw/y.csv.gz  0 rows read, 0 indexed  (the stop cut it off; "
                + "delivered again at the next start)");
        assertThat(summaryLine()).endsWith("0 files loaded (0 rows indexed, 0 rejected), 2 loads cut off by the stop "
                + "(taken up again at the next start), no failures");
    }

    /**
     * A load running at the stop is named cut off whatever it left: the CONTINUING report of the place where it saw the
     * deadline the stop brought forward, or no report at all (interrupted when the grace ended, its report's save
     * interrupted too: the summary used to say nothing of it). Deliveries still queued for a slot are counted apart.
     */
    @Test
    void everyLoadTheStopCutOffIsNamedWithOrWithoutAReportAndQueuedOnesAreCountedAsNotStarted() {
        progress.objectCutOffByStop("raw/big.csv.gz", 7_100_000, new LoadReport("CONTINUING", 110_000, 110_000, 0,
                10_000, null, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("status", "CONTINUING").put("nextPosition", 110_000)), null);
        progress.objectCutOffByStop("raw/huge.csv.gz", 9_000_000, null, null);
        progress.objectCutOffByStop("raw/new.csv.gz", 9_000, null, "9b2cf535f27731c974343645a3985328");

        assertThat(console()).contains("cut off  raw/big.csv.gz  110,000 rows read, 110,000 indexed  (its last report says"
                + " CONTINUING: it or its continuation stopped at a deadline before the load ended; the next start "
                + "continues it from row 110,000)")
                .contains("cut off  raw/huge.csv.gz  (the stop cut it off before it saved a report; delivered again at "
                        + "the next start)")
                .as("an earlier version's load, still running when the key's new version was delivered")
                .contains("cut off  raw/new.csv.gz  (its version 9b2cf535f27731c974343645a3985328, replaced while "
                        + "it loaded: the stop cut it off before it saved a report; the key's new version is loaded on "
                        + "its own)");
        assertThat(summaryLine()).endsWith("0 files loaded (0 rows indexed, 0 rejected), 3 loads cut off by the stop "
                + "(taken up again at the next start), no failures");

        progress.loadsNotStartedAtStop(3);
        assertThat(summaryLine()).endsWith("3 loads cut off by the stop and 3 not started (all taken up again at the "
                + "next start), no failures");
        java.io.ByteArrayOutputStream queuedOut = new java.io.ByteArrayOutputStream();
        Progress queuedOnly = new Progress(new PrintStream(queuedOut, true, StandardCharsets.UTF_8));
        queuedOnly.loadsNotStartedAtStop(1);
        queuedOnly.summary(java.time.Duration.ofSeconds(9));
        assertThat(queuedOut.toString(StandardCharsets.UTF_8)).contains("0 files loaded (0 rows indexed, 0 rejected), 1 "
                + "load not started before the stop (delivered again at the next start), no failures");
    }

    @Test
    void aFileThatFailsAgainCountsOnceAndAFileALaterLoadSucceedsNotAtAll() {
        LoadReport failed = new LoadReport("FAILED", 0, 0, 0, 20, "corrupt input", null);
        progress.objectLoaded("raw/bad.csv.gz", 1000, failed, true);
        progress.objectLoaded("raw/bad.csv.gz", 1000, failed, true); // a retry's report
        progress.objectFailed("raw/bad.csv.gz", "Runtime.ExitError: boom");
        progress.objectLoaded("raw/flaky.csv.gz", 1000, new LoadReport("FAILED", 10, 0, 0, 20, "OpenSearch 503", null), true);
        progress.objectLoaded("raw/flaky.csv.gz", 1000, succeeded(2_500), true); // the retry loads it

        assertThat(summaryLine()).endsWith("1 file loaded (2,500 rows indexed, 0 rejected), 1 file FAILED to load");
    }

    @Test
    void loadsDeliveredBeforeThisStartHaveTheirLineButAreNotThisRunsWork() {
        // reports of an earlier run's deliveries, read at this start: a load that finished after a kill, a failed one
        progress.objectLoaded("raw/big.csv.gz", 1000, succeeded(400_000), false);
        progress.objectLoaded("raw/trunc.csv.gz", 1000, new LoadReport("FAILED", 49_546, 49_546, 0, 900,
                "corrupt or truncated input", null), false);
        progress.objectLoaded("raw/new.csv.gz", 1000, succeeded(13), true);

        assertThat(console()).contains("loaded   raw/big.csv.gz  400,000 rows: 400,000 indexed, 0 rejected in 1.5 s, "
                + "266,666 rows/s  (a load delivered before this start; not counted in this run's summary)");
        assertThat(summaryLine()).endsWith("1 file loaded (13 rows indexed, 0 rejected), no failures");
    }

    @Test
    void syncFailuresAreCountedApartFromFailedLoads() {
        progress.syncFinished("start", new InvocationResult("r", null, "Runtime.ExitError", "boom", 10), List.of(),
                key -> true);
        progress.syncFinished("/_local/sync", summary("{\"listed\":2,\"notMatching\":0,\"copied\":1,\"failed\":1,"
                        + "\"failures\":[{\"file\":\"/b.csv.gz\",\"reason\":\"550 denied\"}],\"bytes\":1000,\"durationMs\":200}"),
                List.of(new Progress.CopiedObject("raw/a.csv.gz", 1000)), key -> true);
        progress.objectLoaded("raw/a.csv.gz", 1000, succeeded(7), true);

        assertThat(summaryLine()).endsWith("2 sync runs, 1 file copied (1000 B), 1 file loaded (7 rows indexed, "
                + "0 rejected), 2 sync failures");
    }

    // ---- what a start says about objects delivered before it ----

    @Test
    void anObjectAskedToLoadAgainSaysSoAndTheFailedLineNamesTheRunnersPort() {
        progress.searchable("curl x", "http://127.0.0.1:4711/_local/status");
        progress.objectDelivered("raw/a b.csv.gz", 2048, BucketWatcher.Resume.ASKED, "more than 1 rejected");
        progress.objectDelivered("raw/c.csv.gz", 2048, BucketWatcher.Resume.ASKED, null);
        progress.objectFailedForGood("raw/a b.csv.gz", new LoadReport("FAILED", 3, 0, 3, 20, "more than 1 rejected",
                null));

        assertThat(console())
                .contains("reload  raw/a b.csv.gz  2.0 KB  (POST /_local/load: delivered again; its last load FAILED: "
                        + "more than 1 rejected)")
                .contains("reload  raw/c.csv.gz  2.0 KB  (POST /_local/load: delivered again)\n")
                .contains("curl -X POST 'http://127.0.0.1:4711/_local/load?key=raw/a+b.csv.gz')");
    }

    @Test
    void aStartSaysWhyAnObjectIsDeliveredAgainOrNot() {
        progress.objectDelivered("raw/new.csv.gz", 2048, null, null);
        progress.objectDelivered("raw/big.csv.gz", 2048, BucketWatcher.Resume.UNFINISHED, null);
        progress.objectDelivered("raw/flaky.csv.gz", 2048, BucketWatcher.Resume.LOAD_FAILED, "OpenSearch 503");
        progress.objectDelivered("raw/lost.csv.gz", 2048, BucketWatcher.Resume.DELIVERY_FAILED, "Runtime.ExitError: boom");
        progress.objectFailedForGood("raw/random.csv.gz", new LoadReport("FAILED", 0, 0, 0, 20,
                "malformed input after 0 records", null));

        assertThat(console())
                .contains("loading raw/new.csv.gz  2.0 KB\n")
                .contains("resume  raw/big.csv.gz  2.0 KB  (its load had not finished before the last stop: delivered again)")
                .contains("retry   raw/flaky.csv.gz  2.0 KB  (its last load FAILED: OpenSearch 503; delivered again,"
                        + " as the failure may not repeat)")
                .contains("retry   raw/lost.csv.gz  2.0 KB  (its delivery FAILED every attempt before this start: "
                        + "Runtime.ExitError: boom; delivered again)")
                .contains("failed   raw/random.csv.gz  (its last load FAILED: malformed input after 0 records; not "
                        + "delivered again at a start: a corrupt file fails the same way, so fix it and copy a new "
                        + "version; when the cause was a setting or the index, change that and load it again: curl -X "
                        + "POST 'http://127.0.0.1:3000/_local/load?key=raw/random.csv.gz')");
        assertThat(summaryLine()).as("nothing of it is this run's work").endsWith("0 files loaded (0 rows indexed, "
                + "0 rejected), no failures");
    }

    /**
     * A file that loaded as junk (its report's warnings) says so on its loaded line, where a local user looks, and in
     * the summary; a later load of the same key without warnings takes it out.
     */
    @Test
    void aFileThatLoadedWithWarningsSaysSoOnItsLineAndInTheSummary() {
        String tabs = "CSV header \"ts\\tuid\" is one column holding TABs: a tab-separated file? CSV input must be "
                + "comma-separated, so each row became one field, without a timestamp. Convert it to comma-separated "
                + "CSV at its source; the corrected copy is loaded again";
        progress.objectLoaded("raw/conn.csv.gz", 900, new LoadReport("SUCCEEDED", 3, 2, 1, 0, 200, null,
                List.of(tabs), null), true);
        progress.objectLoaded("raw/notes.csv.gz", 900, new LoadReport("SUCCEEDED", 3, 3, 0, 0, 200, null,
                List.of("first", "second"), null), true);
        progress.objectLoaded("raw/fixed.csv.gz", 900, new LoadReport("SUCCEEDED", 3, 3, 0, 0, 200, null,
                List.of("junk"), null), true);
        progress.objectLoaded("raw/fixed.csv.gz", 900, new LoadReport("SUCCEEDED", 3, 3, 0, 0, 200, null, null), true);

        assertThat(console()).contains("loaded   raw/conn.csv.gz  3 rows: 2 indexed, 1 rejected in 0.2 s, 15 rows/s  "
                        + "(WARNING: " + tabs + ")")
                .contains("loaded   raw/notes.csv.gz  3 rows: 3 indexed, 0 rejected in 0.2 s, 15 rows/s  (WARNING: "
                        + "first | WARNING: second)")
                .contains("loaded   raw/fixed.csv.gz  3 rows: 3 indexed, 0 rejected in 0.2 s, 15 rows/s\n");
        assertThat(summaryLine()).endsWith("4 files loaded (11 rows indexed, 1 rejected), 2 with WARNINGS "
                + "(raw/conn.csv.gz, raw/notes.csv.gz), no failures");
    }

    @Test
    void aFileWhoseLaterLoadFailedOrWasCutOffIsNotNamedAsLoadedWithAWarning() {
        for (String key : List.of("raw/failed.csv.gz", "raw/cut.csv.gz")) {
            progress.objectLoaded(key, 900, new LoadReport("SUCCEEDED", 3, 3, 0, 0, 200, null, List.of("junk"), null),
                    true);
        }
        progress.objectFailed("raw/failed.csv.gz", "its delivery failed every attempt");
        progress.objectCutOffByStop("raw/cut.csv.gz", 900, null, null);

        assertThat(summaryLine()).doesNotContain("WARNING").contains("1 file FAILED to load");
    }

    @Test
    void skippedRecordsAreNamedSoTheNumbersAddUp() {
        // eve.ndjson: 2 events and a Suricata "stats" event, skipped and counted
        progress.objectLoaded("raw/eve.ndjson", 900, new LoadReport("SUCCEEDED", 3, 2, 0, 1, 200, null, null), true);
        progress.objectLoaded("raw/a.csv.gz", 900, new LoadReport("SUCCEEDED", 3, 2, 1, 0, 200, null, null), true);

        assertThat(console()).contains("loaded   raw/eve.ndjson  3 rows: 2 indexed, 0 rejected, 1 skipped in 0.2 s, 15 rows/s")
                .contains("loaded   raw/a.csv.gz  3 rows: 2 indexed, 1 rejected in 0.2 s, 15 rows/s");
        assertThat(summaryLine()).endsWith("2 files loaded (4 rows indexed, 1 rejected, 1 skipped), no failures");
    }
}
