package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * A server that lists with LIST and whose lines give no readable time (here ISO dates) costs one MDTM per file to copy,
 * on the listing's session. When that session drops in the middle of the pass, one new session goes on from the file
 * it was asking, with the answers already had. Before, the new session asked again from the first file: on a big
 * directory over a flaky link the pass could spend the run's time on answers it already had, every run.
 */
@Timeout(60)
class MdtmPassAfterADroppedSessionTest {

    /** No MLST: LIST, and before each transfer SIZE + MDTM (one MDTM per copied file besides the pass's). */
    private static final String FEAT = "211-Features:\r\n SIZE\r\n MDTM\r\n211 End";
    private static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");
    private static final int FILES = 6;

    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @Test
    void aSessionDroppedAfterThreeAnswersIsFollowedByOneThatAsksOnlyTheFilesNotAnswered() throws Exception {
        try (ScriptedFtpServer server = server()) {
            server.dropAt("MDTM", 4); // three MDTMs answered, the fourth never
            List<String> uploaded = new CopyOnWriteArrayList<>();

            SyncSummary s = service(server, uploaded).runScheduled(() -> 900_000);

            List<String> mdtms = mdtms(server);
            assertThat(mdtms).as("7 in the pass, 6 before the transfers (16 before: the pass asked 4 + 6)")
                    .hasSize(2 * FILES + 1);
            assertThat(mdtms.subList(0, FILES + 1)).as("the pass: f4 asked again, f1-f3 not")
                    .containsExactly(mdtm(1), mdtm(2), mdtm(3), mdtm(4), mdtm(4), mdtm(5), mdtm(6));
            assertThat(mdtms.subList(FILES + 1, mdtms.size())).as("then one per transfer, the check before it")
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, FILES).mapToObj(i -> mdtm(i)).toList());
            assertThat(server.logins()).as("the listing's session and one more").isEqualTo(2);
            assertThat(uploaded).containsExactlyInAnyOrderElementsOf(
                    IntStream.rangeClosed(1, FILES).mapToObj(i -> "raw/f" + i + ".csv.gz").toList());
            assertThat(s.getCopied()).isEqualTo(FILES);
            assertThat(s.getDeferred()).isZero();
            assertThat(s.getFailures()).isEmpty();
            assertThat(s.getListingSessionsDropped()).as("the drop is named, not only healed").isEqualTo(1);
            assertThat(logs.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("MDTM pass went on")))
                    .singleElement().asString().contains("\"level\":\"WARN\"", "\"dropped\":1",
                            "MDTM /d/f4.csv.gz: FTPConnectionClosedException: Connection closed without indication.");
        }
    }

    /**
     * The walk's rule (SessionDrops): a later drop gets a new session when the session that dropped had answered at
     * least one MDTM. Before, the pass failed the run at its second drop, progress or not: a server with a per-session
     * command limit that the walk went through failed every run at the pass, with nothing copied.
     */
    @Test
    void aSecondDropAfterAnswersGetsANewSessionAsInTheWalk() throws Exception {
        try (ScriptedFtpServer server = server()) {
            server.dropAt("MDTM", 3, 6); // f1, f2 answered on the listing's session, f3, f4 on the new one, then it drops
            List<String> uploaded = new CopyOnWriteArrayList<>();

            SyncSummary s = service(server, uploaded).runScheduled(() -> 900_000);

            assertThat(mdtms(server).subList(0, FILES + 2)).as("the pass: each file answered once")
                    .containsExactly(mdtm(1), mdtm(2), mdtm(3), mdtm(3), mdtm(4), mdtm(5), mdtm(5), mdtm(6));
            assertThat(server.logins()).as("the listing's session and two more").isEqualTo(3);
            assertThat(s.getCopied()).isEqualTo(FILES);
            assertThat(s.getFailures()).isEmpty();
            assertThat(s.getListingSessionsDropped()).isEqualTo(2);
            assertThat(logs.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("MDTM pass went on")))
                    .singleElement().asString().contains("\"dropped\":2", "MDTM /d/f3.csv.gz: ", "MDTM /d/f5.csv.gz: ");
        }
    }

    /** A new session that drops before it answered anything fails the run, naming both drops (as the walk does). */
    @Test
    void aNewSessionThatDropsBeforeItsFirstAnswerFailsTheRunWithoutAThirdSession() throws Exception {
        try (ScriptedFtpServer server = server()) {
            server.dropAt("MDTM", 3, 4); // f1, f2 answered on the listing's session; the new one drops at once
            List<String> uploaded = new CopyOnWriteArrayList<>();

            assertThatThrownBy(() -> service(server, uploaded).runScheduled(() -> 900_000))
                    .isInstanceOf(SyncException.class).hasMessageContaining("sync run failed")
                    .hasMessageContaining("dropped the MDTM pass's session at MDTM /d/f3.csv.gz, and the new session"
                            + " opened after it had dropped at MDTM /d/f3.csv.gz dropped too before it answered anything"
                            + " (2 sessions dropped in this pass)");

            assertThat(mdtms(server)).containsExactly(mdtm(1), mdtm(2), mdtm(3), mdtm(3));
            assertThat(server.logins()).isEqualTo(2);
            assertThat(uploaded).isEmpty();
        }
    }

    @Test
    void whenTheClockSaysStopBeforeTheNewSessionTheAnswersHadStillCount() throws Exception {
        try (ScriptedFtpServer server = server()) {
            server.dropAt("MDTM", 3); // f1, f2 answered
            List<String> uploaded = new CopyOnWriteArrayList<>();

            // 900 s until the drop, then 400 s: below the pass's half (480 s), so no new session for it, but time
            // enough to copy what it learnt
            SyncSummary s = service(server, uploaded).runScheduled(() -> mdtms(server).size() < 3 ? 900_000 : 400_000);

            assertThat(mdtms(server).subList(0, 3)).as("the pass").containsExactly(mdtm(1), mdtm(2), mdtm(3));
            assertThat(uploaded).as("the two answered before the drop (before: none, all six deferred)")
                    .containsExactlyInAnyOrder("raw/f1.csv.gz", "raw/f2.csv.gz");
            assertThat(s.getCopied()).isEqualTo(2);
            assertThat(s.getDeferred()).as("the four the pass did not reach").isEqualTo(FILES - 2);
            assertThat(s.getFailures()).isEmpty();
        }
    }

    private static String mdtm(int i) {
        return "MDTM /d/f" + i + ".csv.gz";
    }

    /** {@link #FILES} files {@code f1.csv.gz}… of 4 bytes, listed with ISO dates commons-net cannot read. */
    private static ScriptedFtpServer server() throws Exception {
        List<String> listing = IntStream.rangeClosed(1, FILES)
                .mapToObj(i -> "-rw-r--r--   1 ftp      ftp             4 2024-01-02 03:04 f" + i + ".csv.gz").toList();
        Map<String, String> answers = new HashMap<>();
        for (int i = 1; i <= FILES; i++) {
            answers.put(mdtm(i), "213 20240101120000");
            answers.put("SIZE /d/f" + i + ".csv.gz", "213 4");
        }
        ScriptedFtpServer server = new ScriptedFtpServer(FEAT, listing, answers);
        for (int i = 1; i <= FILES; i++) {
            server.contents.put("/d/f" + i + ".csv.gz", new byte[] {1, 2, 3, 4});
        }
        return server;
    }

    private static List<String> mdtms(ScriptedFtpServer server) {
        return server.commands.stream().filter(c -> c.startsWith("MDTM")).toList();
    }

    private SyncService service(ScriptedFtpServer server, List<String> uploaded) {
        Redactor redactor = new Redactor(new EnvSecretSource("pw"));
        JsonLog log = new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8), redactor);
        EmptyBucketStore store = (key, data, expectedSize, partSize, keepGoing) -> {
            long n = data.readAllBytes().length;
            uploaded.add(key);
            return n;
        };
        return new SyncService(server.config(Map.of("SYNC_CONCURRENCY", "1")), server.source(), store, null, redactor,
                log, Clock.fixed(NOW, ZoneOffset.UTC), ThroughputStore.NONE);
    }
}
