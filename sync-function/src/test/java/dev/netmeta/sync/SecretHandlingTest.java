package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class SecretHandlingTest {

    private static final String PASSWORD = "s3cr3t-Pa55";

    @Test
    void plainPasswordIsUsedOnlyWithoutParameterName() {
        var ssmClient = SyncFactory.ssmClient(Map.of(), Region.US_EAST_1, AnonymousCredentialsProvider.create(),
                SyncFactory.httpClient());
        SecretSource plain = SyncFactory.secretSource(Map.of("FTP_PASSWORD", PASSWORD), ssmClient);
        assertThat(plain.password()).isEqualTo(PASSWORD);

        SecretSource ssm = SyncFactory.secretSource(Map.of("FTP_PASSWORD", PASSWORD, "FTP_PASSWORD_PARAM", "/netmeta/ftp"),
                ssmClient);
        assertThat(ssm).isInstanceOf(SsmSecretSource.class);
        assertThat(ssm.ifFetched()).isNull(); // nothing fetched at construction
        assertThat(ssm.toString()).contains("/netmeta/ftp").doesNotContain(PASSWORD);
    }

    @Test
    void missingPasswordConfigurationIsAClearError() {
        assertThatThrownBy(() -> SyncFactory.secretSource(Map.of(), () -> {
            throw new AssertionError("no SSM client needed");
        }))
                .hasMessageContaining("FTP_PASSWORD_PARAM").hasMessageContaining("FTP_PASSWORD");
    }

    @Test
    void ssmIsAskedOnceAndLazily() {
        AtomicInteger clientsBuilt = new AtomicInteger();
        SsmSecretSource s = new SsmSecretSource(() -> {
            clientsBuilt.incrementAndGet();
            throw new IllegalStateException("no SSM here");
        }, "/p");
        assertThat(clientsBuilt).hasValue(0);
        assertThatThrownBy(s::password).isInstanceOf(IllegalStateException.class);
        assertThat(clientsBuilt).hasValue(1);
    }

    @Test
    void aPasswordStoredWithTheFilesFinalNewlineIsUsedWithoutIt() {
        // aws ssm put-parameter --value file://pw.txt keeps the newline; sent with PASS it desynchronised the session
        SsmSecretSource ssm = new SsmSecretSource(() -> new FakeSsm(Map.of("/netmeta/ftp-password", "s3cret\r\n")),
                "/netmeta/ftp-password");
        assertThat(ssm.password()).isEqualTo("s3cret");
        assertThat(new EnvSecretSource("s3cret\n").password()).isEqualTo("s3cret");
        assertThat(new EnvSecretSource("s3\ncret\n").password()).isEqualTo("s3\ncret");
    }

    @Test
    void aPasswordWithALineBreakInsideIsRefusedBeforeItIsSent() {
        assertThatThrownBy(() -> FtpConnector.sendable("s3\ncret")).isInstanceOf(SyncException.class)
                .hasMessage("the FTP password holds a line break, which FTP cannot send (PASS ends at the first one):"
                        + " check the value of the password parameter");
        assertThat(FtpConnector.sendable("s3cret")).isEqualTo("s3cret");
    }

    @Test
    void redactorRemovesThePasswordFromMessagesAndCauses() {
        Redactor r = new Redactor(new EnvSecretSource(PASSWORD));
        assertThat(r.redact("login with " + PASSWORD + " failed")).isEqualTo("login with **** failed");
        String reason = r.reason(new IOException("outer", new IllegalStateException("inner " + PASSWORD)));
        assertThat(reason).contains("IOException: outer").contains("IllegalStateException: inner ****").doesNotContain(PASSWORD);
    }

    @Test
    void aShortPasswordIsMaskedWhereItStandsAloneNotInsideWords() {
        Redactor r = new Redactor(new EnvSecretSource("p"));
        String reason = r.reason(new java.net.ConnectException("Connection refused to ftp://u:p@127.0.0.1:1/dir"));
        assertThat(reason).isEqualTo("ConnectException: Connection refused to ftp://u:****@127.0.0.1:1/dir");

        Redactor test = new Redactor(new EnvSecretSource("test"));
        assertThat(test.redact("the latest test failed: PASS test")).isEqualTo("the latest **** failed: PASS ****");
        assertThat(test.redact("testtest")).isEqualTo("testtest");

        Redactor symbols = new Redactor(new EnvSecretSource("#1!"));
        assertThat(symbols.redact("a#1!b and #1!#1!")).isEqualTo("a****b and ********");
    }

    @Test
    void aLongPasswordIsMaskedEvenInsideAWord() {
        Redactor r = new Redactor(new EnvSecretSource("Secr3tPassw0rd"));
        assertThat(r.redact("xSecr3tPassw0rdy")).isEqualTo("x****y");
    }

    @Test
    void redactorDoesNotFetchASecretThatWasNeverUsed() {
        SsmSecretSource never = new SsmSecretSource(() -> {
            throw new AssertionError("must not be called");
        }, "/p");
        assertThat(new Redactor(never).redact("message")).isEqualTo("message");
    }

    @Test
    void logLinesAreRedactedJson() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Redactor r = new Redactor(new EnvSecretSource(PASSWORD));
        JsonLog log = new JsonLog(new PrintStream(buf, true, StandardCharsets.UTF_8), r);
        log.summary(new SyncSummary("scheduled", 3, 0, 2, 1, 0, 1, 0, 0,
                List.of(new FileFailure("a.csv.gz", "server said " + PASSWORD)), 42, 7));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out.lines()).hasSize(1);
        assertThat(out).doesNotContain(PASSWORD)
                .contains("\"listed\":3").contains("\"new\":2").contains("\"failed\":1")
                .contains("\"file\":\"a.csv.gz\"").contains("\"bytes\":42");
    }
}
