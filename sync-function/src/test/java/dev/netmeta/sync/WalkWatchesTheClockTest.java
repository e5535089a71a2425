package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The directory walk watches the Lambda clock like the MDTM pass: before each directory's listing (and each
 * {@code SIZE} it sends for an entry without a size) it checks the remaining time, and stops below the margin or once
 * it has used half of the time the invocation had before its margin. The files listed by then go on through the diff
 * and are copied as time allows; every directory not walked is a {@code failures} entry (a tree too large for one run
 * raises the failed-files alarm); files whose size the walk had no time to ask are {@code deferred}. Before, the walk
 * never looked at the clock: a large tree over a slow link ran into Lambda's timeout and the invocation failed with
 * nothing copied — on every run.
 *
 * <p>The clocks are driven by the commands the server has received (recorded before it answers).
 */
@Timeout(60)
class WalkWatchesTheClockTest {

    private static final String FEAT = "211-Features:\r\n SIZE\r\n MDTM\r\n MLST size*;type*;modify*;\r\n211 End";
    private static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");
    /** SYNC_TIME_MARGIN_MS's default. */
    private static final long MARGIN = 60_000;
    private static final String OLD = "modify=20240101120000";

    @Test
    void theWalkStopsAfterHalfOfItsTimeAndTheFilesListedByThenAreCopied() throws Exception {
        try (ScriptedFtpServer server = tree(5)) {
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            SyncService service = service(server, logs);

            // each listing takes 100 s: 840 s before the margin at the start, so the walk may go on while 480 s are
            // left — root, a1 … a4 (500 s left after the fifth listing is not, 400 s are)
            SyncSummary s = service.runScheduled(() -> 900_000 - 100_000L * listings(server).size());

            assertThat(listings(server)).as("no listing after the clock said stop").containsExactly("MLSD /d",
                    "MLSD /d/a1", "MLSD /d/a2", "MLSD /d/a3", "MLSD /d/a4");
            assertThat(s.getListed()).isEqualTo(5);
            assertThat(s.getCopied()).as("the files listed before the stop are copied in the same run").isEqualTo(5);
            assertThat(server.commands).filteredOn(c -> c.startsWith("RETR")).containsExactlyInAnyOrder(
                    "RETR /d/top.csv.gz", "RETR /d/a1/x.csv.gz", "RETR /d/a2/x.csv.gz", "RETR /d/a3/x.csv.gz",
                    "RETR /d/a4/x.csv.gz");
            assertThat(s.getDeferred()).isZero();
            assertThat(s.getFailures()).singleElement().satisfies(f -> {
                assertThat(f.getFile()).isEqualTo("a5/");
                assertThat(f.getReason()).startsWith("not walked: the invocation ran out of time");
            });
            assertThat(stopLines(logs)).singleElement().asString()
                    .contains("\"level\":\"WARN\"", "\"notWalked\":1", "\"notSized\":0");
        }
    }

    @Test
    void belowTheMarginFromTheStartOnlyTheTopDirectoryIsListedAndTheRunStillEndsWithASummary() throws Exception {
        try (ScriptedFtpServer server = tree(5)) {
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            SyncService service = service(server, logs);

            SyncSummary s = service.runScheduled(() -> MARGIN - 1);

            assertThat(listings(server)).containsExactly("MLSD /d");
            assertThat(s.getFailures()).extracting(FileFailure::getFile)
                    .containsExactly("a1/", "a2/", "a3/", "a4/", "a5/");
            assertThat(s.getListed()).isEqualTo(1);
            assertThat(s.getCopied()).isZero();
            assertThat(s.getDeferred()).as("top.csv.gz: listed, no time to copy it").isEqualTo(1);
            assertThat(server.commands).noneMatch(c -> c.startsWith("RETR"));
            assertThat(stopLines(logs)).singleElement().asString().contains("\"notWalked\":5");
        }
    }

    @Test
    void sizeRoundTripsDuringTheWalkStopOnTheSameClockAndTheFilesNotAskedAreDeferred() throws Exception {
        List<String> listing = IntStream.rangeClosed(1, 8).mapToObj(i -> "type=file;" + OLD + "; f" + i + ".csv.gz")
                .toList();
        Map<String, String> answers = new HashMap<>();
        for (int i = 1; i <= 8; i++) {
            answers.put("SIZE /d/f" + i + ".csv.gz", "213 4");
            answers.put("MLST /d/f" + i + ".csv.gz", "250-Listing\r\n type=file;size=4;" + OLD + "; f" + i
                    + ".csv.gz\r\n250 End");
        }
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT, listing, answers)) {
            for (int i = 1; i <= 8; i++) {
                server.contents.put("/d/f" + i + ".csv.gz", new byte[] {1, 2, 3, 4});
            }
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            SyncService service = service(server, logs);

            // each SIZE takes 100 s: asked while 480 s or more are left, so f1 … f5
            SyncSummary s = service.runScheduled(() -> 900_000 - 100_000L * sizes(server).size());

            assertThat(sizes(server)).containsExactly("SIZE /d/f1.csv.gz", "SIZE /d/f2.csv.gz", "SIZE /d/f3.csv.gz",
                    "SIZE /d/f4.csv.gz", "SIZE /d/f5.csv.gz");
            assertThat(s.getCopied()).isEqualTo(5);
            assertThat(s.getDeferred()).as("f6 … f8: no size asked, neither copied nor failures").isEqualTo(3);
            assertThat(s.getFailures()).isEmpty();
            assertThat(stopLines(logs)).singleElement().asString().contains("\"notWalked\":0", "\"notSized\":3");
        }
    }

    @Test
    void aWideFrontierNamesItsFirstHundredDirectoriesAndCountsTheRestInOneEntry() throws Exception {
        try (ScriptedFtpServer server = tree(150)) {
            SyncService service = service(server, new ByteArrayOutputStream());

            SyncSummary s = service.runScheduled(() -> MARGIN - 1);

            assertThat(s.getFailures()).hasSize(101);
            assertThat(s.getFailures().get(0).getFile()).isEqualTo("a1/");
            assertThat(s.getFailures().get(99).getFile()).isEqualTo("a100/");
            assertThat(s.getFailures().get(100).getFile()).isEqualTo("(50 more directories)");
            assertThat(s.getFailures().get(100).getReason()).startsWith("not walked: the invocation ran out of time");
        }
    }

    @Test
    void withTimeToSpareTheWholeTreeIsWalkedAndNothingIsReported() throws Exception {
        try (ScriptedFtpServer server = tree(3)) {
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            SyncService service = service(server, logs);

            SyncSummary s = service.runScheduled(() -> 900_000 - 1_000L * listings(server).size());

            assertThat(listings(server)).hasSize(4);
            assertThat(s.getCopied()).isEqualTo(4);
            assertThat(s.getFailures()).isEmpty();
            assertThat(s.getDeferred()).isZero();
            assertThat(stopLines(logs)).isEmpty();
        }
    }

    /**
     * The walk takes the directory with the latest modification time next, so a clock that stops it leaves out the
     * old part of the tree — not, as in the name order servers list in (oldest date first), the newest day, every run.
     */
    @Test
    void theNewestDirectoriesAreWalkedFirstSoTheStopLeavesOutTheOldOnes() throws Exception {
        List<String> top = List.of("type=dir;modify=20220101000000; 2022", "type=dir;modify=20231231000000; 2023",
                "type=dir;modify=20240601000000; 2024");
        Map<String, String> answers = new HashMap<>();
        answers.put("MLST /d/2024/06/x.csv.gz", mlst("x.csv.gz"));
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT, top, answers)) {
            server.listings.put("/d/2024", List.of("type=dir;modify=20240501000000; 05",
                    "type=dir;modify=20240601000000; 06"));
            server.listings.put("/d/2024/06", List.of("type=file;size=4;" + OLD + "; x.csv.gz"));
            server.contents.put("/d/2024/06/x.csv.gz", new byte[] {1, 2, 3, 4});
            SyncService service = service(server, new ByteArrayOutputStream());

            // three listings fit
            SyncSummary s = service.runScheduled(() -> listings(server).size() < 3 ? 900_000 : MARGIN - 1);

            assertThat(listings(server)).containsExactly("MLSD /d", "MLSD /d/2024", "MLSD /d/2024/06");
            assertThat(s.getListed()).isEqualTo(1);
            assertThat(s.getFailures()).as("the rest in the order the walk would have taken them")
                    .extracting(FileFailure::getFile).containsExactly("2024/05/", "2023/", "2022/");
        }
    }

    /**
     * {@code /d} holds {@code top.csv.gz} and the directories {@code a1} … {@code an}, each holding one
     * {@code x.csv.gz} (4 bytes, old, with size and time in the listing).
     */
    private static ScriptedFtpServer tree(int n) throws Exception {
        List<String> top = new ArrayList<>();
        Map<String, String> answers = new HashMap<>();
        top.add("type=file;size=4;" + OLD + "; top.csv.gz");
        answers.put("MLST /d/top.csv.gz", mlst("top.csv.gz"));
        for (int i = 1; i <= n; i++) {
            top.add("type=dir;" + OLD + "; a" + i);
            answers.put("MLST /d/a" + i + "/x.csv.gz", mlst("x.csv.gz"));
        }
        ScriptedFtpServer server = new ScriptedFtpServer(FEAT, top, answers);
        server.contents.put("/d/top.csv.gz", new byte[] {1, 2, 3, 4});
        for (int i = 1; i <= n; i++) {
            server.listings.put("/d/a" + i, List.of("type=file;size=4;" + OLD + "; x.csv.gz"));
            server.contents.put("/d/a" + i + "/x.csv.gz", new byte[] {1, 2, 3, 4});
        }
        return server;
    }

    private static String mlst(String name) {
        return "250-Listing\r\n type=file;size=4;" + OLD + "; " + name + "\r\n250 End";
    }

    private static List<String> listings(ScriptedFtpServer server) {
        return server.commands.stream().filter(c -> c.startsWith("MLSD") || c.startsWith("LIST")).toList();
    }

    private static List<String> sizes(ScriptedFtpServer server) {
        return server.commands.stream().filter(c -> c.startsWith("SIZE")).toList();
    }

    private static List<String> stopLines(ByteArrayOutputStream logs) {
        return logs.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("directory walk stopped")).toList();
    }

    private static SyncService service(ScriptedFtpServer server, ByteArrayOutputStream logs) {
        Redactor redactor = new Redactor(new EnvSecretSource("pw"));
        JsonLog log = new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8), redactor);
        EmptyBucketStore store = (key, data, expectedSize, partSize, keepGoing) -> data.readAllBytes().length;
        SyncConfig config = server.config(Map.of("FTP_RECURSIVE", "true", "SYNC_CONCURRENCY", "1"));
        return new SyncService(config, new FtpRemoteFileSource(config, new FtpConnector(config,
                new EnvSecretSource("pw"))), store, null, redactor, log, Clock.fixed(NOW, ZoneOffset.UTC),
                ThroughputStore.NONE);
    }
}
