package dev.netmeta.local.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.netmeta.local.testing.FtpEndpoint;
import dev.netmeta.local.testing.TestServers;

@ExtendWith(TestServers.class)
class EmbeddedFtpIT {

    private static final Instant MODIFIED = Instant.parse("2024-05-01T10:15:30Z");

    private final FtpEndpoint ftp;
    private final String dir = TestServers.uniqueName("it-ftp");
    private byte[] big;

    EmbeddedFtpIT(FtpEndpoint ftp) {
        this.ftp = ftp;
    }

    @BeforeEach
    void writeFilesToServe() throws IOException {
        Path local = Files.createDirectories(ftp.rootDir().resolve(dir));
        big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        Files.write(local.resolve("conn.log.gz"), big);
        Files.writeString(local.resolve("small.csv"), "ts,srcIp\n1,10.0.0.1\n");
        for (Path file : List.of(local.resolve("conn.log.gz"), local.resolve("small.csv"))) {
            Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
        }
    }

    private FTPClient loggedIn(FTPClient client) throws IOException {
        client.connect(ftp.host(), ftp.port());
        assertThat(client.login(ftp.user(), ftp.password())).as(client.getReplyString()).isTrue();
        client.enterLocalPassiveMode();
        assertThat(client.setFileType(FTP.BINARY_FILE_TYPE)).isTrue();
        return client;
    }

    private static byte[] retrieve(FTPClient client, String path) throws IOException {
        byte[] bytes;
        try (InputStream in = client.retrieveFileStream(path)) {
            assertThat(in).as(client.getReplyString()).isNotNull();
            bytes = in.readAllBytes();
        }
        assertThat(client.completePendingCommand()).as(client.getReplyString()).isTrue();
        return bytes;
    }

    @Test
    void mlsdListsSizesAndExactModificationTimes() throws IOException {
        FTPClient client = loggedIn(new FTPClient());
        try {
            FTPFile[] files = client.mlistDir("/" + dir);
            Arrays.sort(files, Comparator.comparing(FTPFile::getName));

            assertThat(files).extracting(FTPFile::getName).containsExactly("conn.log.gz", "small.csv");
            assertThat(files).extracting(FTPFile::getSize).containsExactly((long) big.length, 20L);
            assertThat(files).allSatisfy(f -> {
                assertThat(f.isFile()).isTrue();
                assertThat(f.getTimestampInstant()).isEqualTo(MODIFIED);
            });
        } finally {
            client.disconnect();
        }
    }

    @Test
    void passiveBinaryRetrieveIsByteIdentical() throws IOException {
        FTPClient client = loggedIn(new FTPClient());
        try {
            assertThat(retrieve(client, "/" + dir + "/conn.log.gz")).isEqualTo(big);
            assertThat(retrieve(client, "/" + dir + "/small.csv")).asString(StandardCharsets.UTF_8)
                    .isEqualTo("ts,srcIp\n1,10.0.0.1\n");
        } finally {
            client.disconnect();
        }
    }

    @Test
    void userMayUploadIntoTheRoot() throws IOException {
        FTPClient client = loggedIn(new FTPClient());
        try {
            byte[] body = "uploaded".getBytes(StandardCharsets.UTF_8);
            assertThat(client.storeFile("/" + dir + "/up.txt", new ByteArrayInputStream(body))).isTrue();
            assertThat(ftp.rootDir().resolve(dir).resolve("up.txt")).hasBinaryContent(body);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void wrongPasswordIsRefused() throws IOException {
        FTPClient client = new FTPClient();
        client.connect(ftp.host(), ftp.port());
        try {
            assertThat(client.login(ftp.user(), "wrong-password")).isFalse();
            assertThat(client.getReplyCode()).isEqualTo(FTPReply.NOT_LOGGED_IN);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void explicitFtpsWithVerifiedCertificateRetrievesTheSameBytes() throws Exception {
        FTPSClient client = new FTPSClient(false);
        client.setTrustManager(trustManagerFor(loadTrustStore(ftp.trustStore(), ftp.trustStorePassword())));
        client.setEndpointCheckingEnabled(true); // the certificate names 127.0.0.1
        client.connect(ftp.host(), ftp.port());
        try {
            client.execPBSZ(0);
            client.execPROT("P");
            assertThat(client.login(ftp.user(), ftp.password())).as(client.getReplyString()).isTrue();
            client.enterLocalPassiveMode();
            client.setFileType(FTP.BINARY_FILE_TYPE);

            assertThat(client.mlistDir("/" + dir)).extracting(FTPFile::getName).contains("conn.log.gz");
            assertThat(retrieve(client, "/" + dir + "/conn.log.gz")).isEqualTo(big);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void explicitFtpsWithTheJdkTrustedCasRefusesTheSelfSignedCertificate() throws Exception {
        FTPSClient client = new FTPSClient(false);
        // Beware: commons-net's default trust manager checks only the certificate's dates, not who signed it.
        client.setTrustManager(trustManagerFor(null));
        Throwable failure = catchThrowable(() -> client.connect(ftp.host(), ftp.port()));
        client.disconnect();
        assertThat(failure).isInstanceOf(SSLException.class);
    }

    @Test
    void loginLimitMakesAnUnfriendlyServer(@TempDir Path root) throws IOException {
        try (EmbeddedFtp strict = EmbeddedFtp.start(FtpSettings.of(root, "u", "p").withMaxLoginsPerUser(1))) {
            FTPClient first = new FTPClient();
            FTPClient second = new FTPClient();
            try {
                first.connect(strict.host(), strict.port());
                assertThat(first.login("u", "p")).isTrue();
                second.connect(strict.host(), strict.port());
                Throwable refused = catchThrowable(() -> second.login("u", "p"));
                assertThat(refused).isInstanceOf(FTPConnectionClosedException.class).hasMessageContaining("421");
            } finally {
                first.disconnect();
                second.disconnect();
            }
        }
    }

    private static KeyStore loadTrustStore(Path trustStore, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    /** A verifying trust manager for {@code store}; {@code null} means the JDK's trusted CAs. */
    private static TrustManager trustManagerFor(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers()[0];
    }
}
