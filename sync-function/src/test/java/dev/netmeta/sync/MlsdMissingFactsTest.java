package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * RFC 3659 lets a server leave any fact out of an MLSD/MLST entry. The sync asks for the ones it needs with
 * {@code OPTS MLST}, and what an entry still lacks with SIZE and MDTM on the same session; an entry without a time
 * used to count as "just written" on every run.
 */
class MlsdMissingFactsTest {

    private static final String FEAT = "211-Features:\r\n SIZE\r\n MDTM\r\n MLST size*;type*;modify;perm*;\r\n211 End";
    private static final List<String> LISTING = List.of(
            "type=file;size=10;modify=20240101120000; dated.csv.gz",
            "type=file;size=20; undated.csv.gz",
            "type=file;modify=20240101120000; unsized.csv.gz",
            "type=file; bare.csv.gz",
            "type=file;size=5; other.txt");
    private static final Map<String, String> ANSWERS = Map.of(
            "OPTS MLST type;size;modify;", "501 Option not understood",
            "MDTM /d/undated.csv.gz", "213 20240102030405",
            "SIZE /d/unsized.csv.gz", "213 30",
            "MDTM /d/bare.csv.gz", "550 Could not get file modification time",
            "SIZE /d/bare.csv.gz", "213 40",
            "MLST /d/undated.csv.gz", "250-Listing /d/undated.csv.gz\r\n type=file;size=20; undated.csv.gz\r\n250 End");

    @Test
    void factsAnEntryLacksAreAskedWithSizeAndMdtmOnTheListingsSession() throws Exception {
        try (FakeServer server = new FakeServer(FEAT)) {
            FtpRemoteFileSource source = server.source();
            try {
                factsAnEntryLacksAreAsked(server, source);
            } finally {
                source.releaseConnections();
            }
            assertThat(server.logins()).as("one session for all of it").isEqualTo(1);
        }
    }

    private static void factsAnEntryLacksAreAsked(FakeServer server, FtpRemoteFileSource source) throws Exception {
        RemoteListing listing = source.list();

        assertThat(listing.files()).containsExactlyInAnyOrder(
                new RemoteFile("dated.csv.gz", 10, Instant.parse("2024-01-01T12:00:00Z")),
                new RemoteFile("undated.csv.gz", 20, Instant.parse("2024-01-02T03:04:05Z")), // UTC, like MLSD
                new RemoteFile("unsized.csv.gz", 30, Instant.parse("2024-01-01T12:00:00Z")),
                new RemoteFile("bare.csv.gz", 40, null));
        assertThat(server.commands).contains("OPTS MLST type;size;modify;");
        assertThat(server.commands).as("only what an entry lacks, only for files that match")
                .filteredOn(c -> c.startsWith("MDTM") || c.startsWith("SIZE"))
                .containsExactlyInAnyOrder("MDTM /d/undated.csv.gz", "SIZE /d/unsized.csv.gz", "MDTM /d/bare.csv.gz",
                        "SIZE /d/bare.csv.gz");

        try (RemoteFileSource.Download d = source.open("undated.csv.gz")) {
            assertThat(d.current()).as("the check before the transfer: MLST, then MDTM")
                    .contains(new RemoteFile("undated.csv.gz", 20, Instant.parse("2024-01-02T03:04:05Z")));
        }
    }

    @Test
    void noOptsMlstWhenTheServerSendsTheNeededFactsAlready() throws Exception {
        try (FakeServer server = new FakeServer(FEAT.replace("modify;", "modify*;"))) {
            FtpRemoteFileSource source = server.source();
            try {
                source.list();
            } finally {
                source.releaseConnections();
            }
            assertThat(server.commands).isNotEmpty().noneMatch(c -> c.startsWith("OPTS"));
        }
    }

    /** One scripted FTP session at a time on 127.0.0.1: login, FEAT, MLSD of {@link #LISTING}, {@link #ANSWERS}. */
    private static final class FakeServer implements AutoCloseable {
        final List<String> commands = new CopyOnWriteArrayList<>();
        private final ServerSocket control = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final ServerSocket data = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final String feat;
        private final Thread thread;

        FakeServer(String feat) throws Exception {
            this.feat = feat;
            thread = new Thread(this::serve, "fake-ftp");
            thread.setDaemon(true);
            thread.start();
        }

        FtpRemoteFileSource source() {
            SyncConfig config = SyncConfig.fromEnv(Map.of("FTP_HOST", "127.0.0.1", "FTP_PORT",
                    Integer.toString(control.getLocalPort()), "FTP_USER", "u", "BUCKET", "b", "FTP_REMOTE_DIR", "/d",
                    "FTP_RECURSIVE", "false", "FTP_SERVER_TIMEZONE", "Europe/Berlin", "FTP_TIMEOUT_MS", "5000"));
            return new FtpRemoteFileSource(config, new FtpConnector(config, new EnvSecretSource("pw")));
        }

        long logins() {
            return commands.stream().filter(c -> c.startsWith("USER")).count();
        }

        private void serve() {
            while (!control.isClosed()) {
                try (Socket s = control.accept(); OutputStream out = s.getOutputStream();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                    send(out, "220 ready");
                    for (String line; (line = in.readLine()) != null; ) {
                        commands.add(line.startsWith("PASS") ? "PASS ****" : line);
                        if (line.startsWith("USER")) {
                            send(out, "331 password");
                        } else if (line.startsWith("PASS")) {
                            send(out, "230 logged in");
                        } else if (line.startsWith("TYPE")) {
                            send(out, "200 type set");
                        } else if (line.equals("FEAT")) {
                            send(out, feat);
                        } else if (line.startsWith("PASV")) {
                            int p = data.getLocalPort();
                            send(out, "227 Entering Passive Mode (127,0,0,1," + (p >> 8) + "," + (p & 0xff) + ")");
                        } else if (line.startsWith("MLSD")) {
                            try (Socket d = data.accept(); OutputStream dout = d.getOutputStream()) {
                                send(out, "150 listing");
                                dout.write((String.join("\r\n", LISTING) + "\r\n").getBytes(StandardCharsets.UTF_8));
                            }
                            send(out, "226 done");
                        } else if (line.startsWith("QUIT")) {
                            send(out, "221 bye");
                            break;
                        } else {
                            send(out, ANSWERS.getOrDefault(line, "502 not here"));
                        }
                    }
                } catch (Exception e) {
                    return; // closed; the test's assertions say what went wrong
                }
            }
        }

        private static void send(OutputStream out, String reply) throws Exception {
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
