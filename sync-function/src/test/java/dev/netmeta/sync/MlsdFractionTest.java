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
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.Test;

/**
 * RFC 3659 lets a {@code modify} fact carry any number of fraction digits; commons-net alone reads three and drops
 * the entry otherwise — the file vanished from the listing, silently.
 */
class MlsdFractionTest {

    private static final String MICROS = "type=file;size=10;modify=20240101120000.123456; micro.csv.gz";
    private static final String TENTHS = "type=file;size=10;modify=20240101120000.5; tenth.csv.gz";

    @Test
    void fractionsOfAnyLengthAreReadToTheMillisecond() {
        assertThat(MlsdEntries.PARSER.parseFTPEntry(MICROS).getTimestamp().toInstant())
                .isEqualTo(Instant.parse("2024-01-01T12:00:00.123Z"));
        assertThat(MlsdEntries.PARSER.parseFTPEntry(TENTHS).getTimestamp().toInstant())
                .as(".5 is half a second, not 5 ms").isEqualTo(Instant.parse("2024-01-01T12:00:00.500Z"));
        assertThat(MlsdEntries.PARSER.parseFTPEntry("type=file;size=1;modify=20240101120000; a;modify=1.2345 b")
                .getName()).as("the name is never touched").isEqualTo("a;modify=1.2345 b");
        assertThat(MlsdEntries.normalise("Type=file;Modify=20240101120000.1234567;size=3; x"))
                .isEqualTo("Type=file;Modify=20240101120000.123;size=3; x");
    }

    @Test
    void theConnectorsClientsListAndStatSuchEntries() throws Exception {
        try (ServerSocket control = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket data = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> serve(control, data));
            server.setDaemon(true);
            server.start();
            Map<String, String> env = new HashMap<>(Map.of("FTP_HOST", "127.0.0.1", "FTP_USER", "u", "BUCKET", "b",
                    "FTP_PORT", Integer.toString(control.getLocalPort())));
            FTPClient client = new FtpConnector(SyncConfig.fromEnv(env), new EnvSecretSource("pw")).newClient();
            client.connect("127.0.0.1", control.getLocalPort());
            try {
                client.enterLocalPassiveMode();
                FTPFile[] listed = client.mlistDir("/d");
                assertThat(Arrays.stream(listed).map(FTPFile::getName)).containsExactlyInAnyOrder("micro.csv.gz", "tenth.csv.gz");
                FTPFile stat = client.mlistFile("/d/micro.csv.gz");
                assertThat(stat).isNotNull();
                assertThat(stat.getSize()).isEqualTo(10);
            } finally {
                client.disconnect();
                server.join(5_000);
            }
        }
    }

    private static void serve(ServerSocket control, ServerSocket data) {
        try (Socket s = control.accept(); OutputStream out = s.getOutputStream();
             BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            send(out, "220 ready");
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("PASV")) {
                    int p = data.getLocalPort();
                    send(out, "227 Entering Passive Mode (127,0,0,1," + (p >> 8) + "," + (p & 0xff) + ")");
                } else if (line.startsWith("MLSD")) {
                    try (Socket d = data.accept(); OutputStream dout = d.getOutputStream()) {
                        send(out, "150 listing");
                        dout.write((MICROS + "\r\n" + TENTHS + "\r\n").getBytes(StandardCharsets.UTF_8));
                    }
                    send(out, "226 done");
                } else if (line.startsWith("MLST")) {
                    send(out, "250-Listing\r\n " + MICROS + "\r\n250 End");
                } else if (line.startsWith("QUIT")) {
                    send(out, "221 bye");
                    return;
                } else {
                    send(out, "502 not here");
                }
            }
        } catch (Exception ignored) {
            // the test's assertions say what went wrong
        }
    }

    private static void send(OutputStream out, String reply) throws Exception {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
