package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docs/SYNC.md: "The read that delivers the last expected byte first looks one byte ahead: the data must end there and
 * the FTP server must confirm the transfer (226) — only then does the uploader get the last bytes it needs to
 * complete the object." A server that sends every listed byte and then reports the transfer as failed (426/451: the
 * server's own read of the file broke, the data may be wrong) must not leave an object behind.
 *
 * <p>The FTP server here is a scripted one on a loopback socket ({@link ScriptedFtpServer}), so the final reply of
 * {@code RETR} can be chosen; the client side is the production one ({@link FtpConnector},
 * {@link FtpRemoteFileSource}, {@link SyncService}).
 */
class TransferConfirmationTest {

    private static final byte[] DATA = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    /** One old file {@code a.csv.gz} in {@code /in}. */
    private static final String FACTS = "type=file;size=" + DATA.length + ";modify=20240101120000;";

    @ParameterizedTest(name = "final RETR reply {0}")
    @CsvSource({
        "'226 Transfer complete.', 1",
        "'451 Requested action aborted: local error in processing.', 0",
        "'426 Connection closed; transfer aborted.', 0",
    })
    void onlyATransferTheServerConfirmedBecomesAnObject(String finalReply, int expectedCopies) throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer("211-Features:\r\n MLST type*;size*;modify*;\r\n211 End",
                List.of(FACTS + " a.csv.gz"),
                Map.of("MLST /in/a.csv.gz", "250-facts\r\n " + FACTS + " /in/a.csv.gz\r\n250 End"))) {
            server.contents.put("/in/a.csv.gz", DATA);
            server.retrReply = finalReply;
            Map<String, String> env = new HashMap<>(Map.of("FTP_HOST", "127.0.0.1",
                    "FTP_PORT", Integer.toString(server.port()), "FTP_USER", "u", "BUCKET", "b",
                    "FTP_REMOTE_DIR", "/in", "SYNC_FANOUT_ENABLED", "false", "SYNC_STATE_KEY", "",
                    "SYNC_CONCURRENCY", "1", "FTP_TIMEOUT_MS", "5000"));
            SyncConfig config = SyncConfig.fromEnv(env);
            Redactor redactor = new Redactor(new EnvSecretSource("pw"));
            JsonLog log = new JsonLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), redactor);
            CompletingStore store = new CompletingStore();
            SyncService service = new SyncService(config, new FtpRemoteFileSource(config, new FtpConnector(config,
                    new EnvSecretSource("pw"))), store, null, redactor, log, Clock.systemUTC(), ThroughputStore.NONE);

            SyncSummary summary = service.runScheduled(() -> 900_000);

            assertThat(server.commands).as("the file was sent in full").anyMatch(c -> c.startsWith("RETR /in/a.csv.gz"));
            assertThat(summary.getListed()).isEqualTo(1);
            assertThat(summary.getCopied()).isEqualTo(expectedCopies);
            assertThat(store.completed).hasSize(expectedCopies);
            if (expectedCopies == 0) {
                String code = finalReply.substring(0, 3);
                assertThat(summary.getFailures()).singleElement().satisfies(f -> {
                    assertThat(f.getFile()).isEqualTo("a.csv.gz");
                    assertThat(f.getReason()).contains("did not complete").contains(code);
                });
            } else {
                assertThat(summary.getFailures()).isEmpty();
                assertThat(store.completed.get(0)).isEqualTo(new String(DATA, StandardCharsets.US_ASCII));
            }
        }
    }

    /**
     * Reads the upload as S3ObjectStore does — through {@link ExactLengthInputStream}, stopping at the listed size as
     * an HTTP body of that Content-Length does — and "completes the object" only when that read succeeded.
     */
    private static final class CompletingStore implements EmptyBucketStore {
        final List<String> completed = new CopyOnWriteArrayList<>();

        @Override
        public long upload(String key, InputStream data, long expectedSize, int partSize, BooleanSupplier keepGoing)
                throws IOException {
            byte[] body = new ExactLengthInputStream(data, expectedSize).readNBytes((int) expectedSize);
            completed.add(new String(body, StandardCharsets.US_ASCII));
            return body.length;
        }
    }
}
