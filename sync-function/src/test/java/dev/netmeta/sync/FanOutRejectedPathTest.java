package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.sync.PreTransferCheckTest.FakeSource;
import dev.netmeta.sync.PreTransferCheckTest.FakeStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A name the FTP server lists and the scheduled run can copy, but a copy-file event refuses (a backslash, a control
 * character such as a tab, a name of only spaces), must not be handed to a copy-file invocation: that invocation
 * rejected it and nobody copied the file, although the run counted it fanned out.
 */
class FanOutRejectedPathTest {

    private static final Instant NOW = Instant.parse("2026-11-27T02:00:00Z");
    private static final Instant OLD = NOW.minusSeconds(3600);

    @ParameterizedTest
    @ValueSource(strings = {"win\\style.csv.gz", "tab\there.csv.gz", "   "})
    void aFileACopyFileEventWouldRejectIsCopiedHereInstead(String path) {
        FakeStore store = new FakeStore();
        List<String> payloads = new ArrayList<>();
        SyncSummary s = service(new FakeSource(new RemoteFile(path, 4, OLD), new RemoteFile(path, 4, OLD)), store, payloads)
                .runScheduled(() -> 61_000);

        assertThat(payloads).as("copy-file events").isEmpty();
        assertThat(s.getFannedOut()).isZero();
        assertThat(s.getCopied()).isEqualTo(1);
        assertThat(store.uploaded).containsExactly("raw/" + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain.csv.gz"})
    void anOrdinaryFileThatDoesNotFitIsStillFannedOut(String path) {
        FakeStore store = new FakeStore();
        List<String> payloads = new ArrayList<>();
        SyncSummary s = service(new FakeSource(new RemoteFile(path, 4, OLD), new RemoteFile(path, 4, OLD)), store, payloads)
                .runScheduled(() -> 61_000);

        assertThat(payloads).singleElement().asString().contains("\"path\":\"plain.csv.gz\"");
        assertThat(s.getFannedOut()).isEqualTo(1);
        assertThat(store.uploaded).isEmpty();
    }

    /** One second to plan with at about one byte per second: a 4-byte file does not fit and is fanned out. */
    private static SyncService service(FakeSource source, FakeStore store, List<String> payloads) {
        SyncConfig config = SyncConfig.fromEnv(Map.of("FTP_HOST", "h", "FTP_USER", "u", "BUCKET", "b",
                "FTP_PATTERNS", "*", "SYNC_STATE_KEY", "", "SYNC_THROUGHPUT_MBPS", "0.000001",
                "AWS_LAMBDA_FUNCTION_NAME", "sync"));
        Redactor redactor = new Redactor(new EnvSecretSource("pw"));
        JsonLog log = new JsonLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), redactor);
        return new SyncService(config, source, store, payloads::add, redactor, log, Clock.fixed(NOW, ZoneOffset.UTC),
                ThroughputStore.NONE);
    }
}
