package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The MDTM pass (files to copy whose listing gave no time, one MDTM each after the bucket comparison) watches the
 * Lambda clock like the rest of the run: it stops asking at the time margin, and already when it has used half of the
 * time the invocation had before its margin, so that the files it found can still be copied (a pass that used all
 * the time would leave nothing to copy, and the next run would ask the same files again). The files it did not reach
 * are neither copied nor failures: {@code deferred}, for the next run. Before, the pass asked every file whatever the
 * clock said — with thousands of such files over a WAN into Lambda's timeout, on every run.
 *
 * <p>The clocks here are driven by the MDTM commands the server has received: the server records a command before it
 * answers, so before the client sends its next MDTM the clock has seen every earlier one.
 */
@Timeout(60)
class MdtmPassWatchesTheClockTest {

    private static final String FEAT = "211-Features:\r\n SIZE\r\n MDTM\r\n MLST size*;type*;modify*;\r\n211 End";
    private static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");
    /** SYNC_TIME_MARGIN_MS's default. */
    private static final long MARGIN = 60_000;

    @Test
    void whenTheClockRunsOutTheFilesNotReachedAreDeferredAndTheOnesWithATimeGoOn() throws Exception {
        try (ScriptedFtpServer server = server(5)) {
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            List<String> payloads = new CopyOnWriteArrayList<>();
            SyncService service = service(server, Map.of("SYNC_FANOUT_ENABLED", "true", "AWS_LAMBDA_FUNCTION_NAME",
                    "sync"), payloads::add, logs);

            // plenty of time until two MDTMs have been answered, then below the margin
            SyncSummary s = service.runScheduled(() -> mdtms(server).size() < 2 ? 900_000 : MARGIN - 30_000);

            assertThat(mdtms(server)).as("no MDTM after the clock said stop")
                    .containsExactly("MDTM /d/f1.csv.gz", "MDTM /d/f2.csv.gz");
            assertThat(s.getNew()).as("all five are to copy (key absent)").isEqualTo(5);
            assertThat(s.getDeferred()).as("the three the pass did not reach").isEqualTo(3);
            assertThat(s.getFailures()).as("not reached is not a failure").isEmpty();
            assertThat(s.getFannedOut()).as("the two with a time go on as any file to copy: no time here, fanned out")
                    .isEqualTo(2);
            assertThat(payloads).hasSize(2);
            assertThat(payloads.get(0)).contains("\"path\":\"f1.csv.gz\"");
            assertThat(payloads.get(1)).contains("\"path\":\"f2.csv.gz\"");
            assertThat(s.getCopied()).isZero();
            assertThat(server.commands).noneMatch(c -> c.startsWith("RETR"));
            assertThat(stopLines(logs)).as("logged once, with the count").singleElement().asString()
                    .contains("\"level\":\"INFO\"", "\"notAsked\":3", "\"asked\":2");
        }
    }

    @Test
    void belowTheMarginFromTheStartNoMdtmIsSentAndNothingFails() throws Exception {
        try (ScriptedFtpServer server = server(5)) {
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            SyncService service = service(server, Map.of(), p -> { }, logs);

            SyncSummary s = service.runScheduled(() -> MARGIN - 1);

            assertThat(mdtms(server)).isEmpty();
            assertThat(s.getNew()).isEqualTo(5);
            assertThat(s.getDeferred()).isEqualTo(5);
            assertThat(s.getFailures()).isEmpty();
            assertThat(s.getCopied()).isZero();
            assertThat(stopLines(logs)).singleElement().asString().contains("\"notAsked\":5", "\"asked\":0");
        }
    }

    @Test
    void aServerWithoutMdtmCostsNoRoundTripSoItsFilesAreFailuresAsEverNotDeferred() throws Exception {
        try (ScriptedFtpServer server = server(2, FEAT.replace(" MDTM\r\n", ""))) {
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            SyncService service = service(server, Map.of(), p -> { }, logs);

            SyncSummary s = service.runScheduled(() -> MARGIN - 1);

            assertThat(mdtms(server)).isEmpty();
            assertThat(s.getDeferred()).isZero();
            assertThat(s.getFailures()).hasSize(2).allSatisfy(f -> assertThat(f.getReason())
                    .contains("no modification time", "not announced or refused"));
            assertThat(stopLines(logs)).isEmpty();
        }
    }

    @Test
    void thePassLeavesHalfOfTheTimeSoTheFilesItFoundAreCopiedEvenWithoutFanOut() throws Exception {
        try (ScriptedFtpServer server = server(12)) {
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            SyncService service = service(server, Map.of("SYNC_CONCURRENCY", "1"), p -> { }, logs);

            // each MDTM takes 100 s: 840 s before the margin at the start, so the pass may run until 480 s are left
            // (the fifth MDTM starts at 500 s) and the copies then have 400 s. A pass that ran up to the margin would
            // have asked nine files and left 0 s: nothing copied, and the next run would ask the same nine again
            SyncSummary s = service.runScheduled(() -> 900_000 - 100_000L * mdtms(server).size());

            assertThat(s.getCopied()).as("what the pass found is copied in the same run").isEqualTo(5);
            assertThat(mdtms(server)).containsExactly("MDTM /d/f1.csv.gz", "MDTM /d/f2.csv.gz", "MDTM /d/f3.csv.gz",
                    "MDTM /d/f4.csv.gz", "MDTM /d/f5.csv.gz");
            assertThat(s.getDeferred()).isEqualTo(7);
            assertThat(s.getFailures()).isEmpty();
            assertThat(server.commands).filteredOn(c -> c.startsWith("RETR")).containsExactly("RETR /d/f1.csv.gz",
                    "RETR /d/f2.csv.gz", "RETR /d/f3.csv.gz", "RETR /d/f4.csv.gz", "RETR /d/f5.csv.gz");
            assertThat(stopLines(logs)).singleElement().asString().contains("\"notAsked\":7", "\"asked\":5");
        }
    }

    @Test
    void withTimeToSpareEveryFileIsAskedAndNothingIsDeferred() throws Exception {
        try (ScriptedFtpServer server = server(3)) {
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            SyncService service = service(server, Map.of("SYNC_CONCURRENCY", "1"), p -> { }, logs);

            SyncSummary s = service.runScheduled(() -> 900_000 - 1_000L * mdtms(server).size());

            assertThat(mdtms(server)).hasSize(3);
            assertThat(s.getCopied()).isEqualTo(3);
            assertThat(s.getDeferred()).isZero();
            assertThat(s.getFailures()).isEmpty();
            assertThat(stopLines(logs)).isEmpty();
        }
    }

    private static ScriptedFtpServer server(int n) throws Exception {
        return server(n, FEAT);
    }

    /**
     * {@code n} files {@code f1.csv.gz}… of 4 bytes whose MLSD entries lack {@code modify}; MDTM and MLST tell an old
     * time, RETR sends the bytes.
     */
    private static ScriptedFtpServer server(int n, String feat) throws Exception {
        List<String> listing = IntStream.rangeClosed(1, n).mapToObj(i -> "type=file;size=4; f" + i + ".csv.gz")
                .toList();
        Map<String, String> answers = new HashMap<>();
        for (int i = 1; i <= n; i++) {
            answers.put("MDTM /d/f" + i + ".csv.gz", "213 20240101120000");
            answers.put("MLST /d/f" + i + ".csv.gz", "250-Listing\r\n type=file;size=4;modify=20240101120000; f" + i
                    + ".csv.gz\r\n250 End");
        }
        ScriptedFtpServer server = new ScriptedFtpServer(feat, listing, answers);
        for (int i = 1; i <= n; i++) {
            server.contents.put("/d/f" + i + ".csv.gz", new byte[] {1, 2, 3, 4});
        }
        return server;
    }

    private static List<String> mdtms(ScriptedFtpServer server) {
        return server.commands.stream().filter(c -> c.startsWith("MDTM")).toList();
    }

    private static List<String> stopLines(ByteArrayOutputStream logs) {
        return logs.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("MDTM pass stopped")).toList();
    }

    private static SyncService service(ScriptedFtpServer server, Map<String, String> settings, SelfInvoker invoker,
                                       ByteArrayOutputStream logs) {
        Redactor redactor = new Redactor(new EnvSecretSource("pw"));
        JsonLog log = new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8), redactor);
        EmptyBucketStore store = (key, data, expectedSize, partSize, keepGoing) -> data.readAllBytes().length;
        return new SyncService(server.config(settings), server.source(), store, invoker, redactor, log,
                Clock.fixed(NOW, ZoneOffset.UTC), ThroughputStore.NONE);
    }
}
