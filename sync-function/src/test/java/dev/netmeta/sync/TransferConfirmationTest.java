package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * <p>The FTP server here is a scripted one on a loopback socket, so the final reply of {@code RETR} can be chosen;
 * the client side is the production one ({@link FtpConnector}, {@link FtpRemoteFileSource}, {@link SyncService}).
 */
class TransferConfirmationTest {

    private static final byte[] DATA = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "final RETR reply {0}")
    @CsvSource({
        "'226 Transfer complete.', 1",
        "'451 Requested action aborted: local error in processing.', 0",
        "'426 Connection closed; transfer aborted.', 0",
    })
    void onlyATransferTheServerConfirmedBecomesAnObject(String finalReply, int expectedCopies) throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer(finalReply)) {
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

            assertThat(server.commands()).as("the file was sent in full").anyMatch(c -> c.startsWith("RETR /in/a.csv.gz"));
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

    /** One user, one directory {@code /in} with one old file {@code a.csv.gz}; RETR ends with the given reply. */
    private static final class ScriptedFtpServer implements AutoCloseable {
        private static final String FACTS = "type=file;size=" + DATA.length + ";modify=20240101120000;";

        private final ServerSocket control = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        private final ServerSocket data = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        private final List<String> commands = new CopyOnWriteArrayList<>();
        private final String retrReply;
        private final Thread thread;

        ScriptedFtpServer(String retrReply) throws IOException {
            this.retrReply = retrReply;
            thread = new Thread(this::serve, "scripted-ftp");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return control.getLocalPort();
        }

        List<String> commands() {
            return commands;
        }

        private void serve() {
            while (!control.isClosed()) {
                try (Socket s = control.accept()) {
                    session(s);
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void session(Socket s) throws IOException {
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            send(out, "220 scripted");
            for (String line; (line = in.readLine()) != null; ) {
                commands.add(line);
                String cmd = line.split(" ", 2)[0].toUpperCase();
                switch (cmd) {
                    case "USER" -> send(out, "331 password please");
                    case "PASS" -> send(out, "230 logged in");
                    case "TYPE" -> send(out, "200 binary");
                    case "FEAT" -> send(out, "211-Features:\r\n MLST type*;size*;modify*;\r\n211 End");
                    case "PASV" -> {
                        int p = data.getLocalPort();
                        send(out, "227 Entering Passive Mode (127,0,0,1," + (p >> 8) + "," + (p & 0xff) + ")");
                    }
                    case "MLSD" -> {
                        try (Socket d = data.accept(); OutputStream dout = d.getOutputStream()) {
                            send(out, "150 listing");
                            dout.write((FACTS + " a.csv.gz\r\n").getBytes(StandardCharsets.UTF_8));
                        }
                        send(out, "226 listed");
                    }
                    case "MLST" -> send(out, "250-facts\r\n " + FACTS + " /in/a.csv.gz\r\n250 End");
                    case "RETR" -> {
                        try (Socket d = data.accept(); OutputStream dout = d.getOutputStream()) {
                            send(out, "150 sending");
                            dout.write(DATA); // every listed byte
                        }
                        send(out, retrReply);
                    }
                    case "QUIT" -> {
                        send(out, "221 bye");
                        return;
                    }
                    default -> send(out, "502 not here");
                }
            }
        }

        private static void send(OutputStream out, String reply) throws IOException {
            out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() throws Exception {
            control.close();
            data.close();
            thread.join(5_000);
        }
    }
}
