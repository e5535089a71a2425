package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SyncConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("FTP_HOST", "ftp.example.org");
        env.put("FTP_USER", "metadata");
        env.put("BUCKET", "netmeta-raw");
        return env;
    }

    @Test
    void defaultsMatchTheContract() {
        SyncConfig c = SyncConfig.fromEnv(minimal());
        assertThat(c.ftpPort()).isEqualTo(21);
        assertThat(c.ftpRemoteDir()).isEqualTo("/");
        assertThat(c.recursive()).isTrue();
        assertThat(c.patterns()).containsExactly("*.csv.gz");
        assertThat(c.tls()).isFalse();
        assertThat(c.rawPrefix()).isEqualTo("raw/");
        assertThat(c.partSizeBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(c.streamingPutMaxBytes()).isEqualTo(100L * 1024 * 1024);
        assertThat(c.concurrency()).isEqualTo(4);
        assertThat(c.fanOutMaxFiles()).isEqualTo(100);
        assertThat(c.ftpServerTimeZone()).isEqualTo(java.time.ZoneId.of("UTC"));
        assertThat(c.ftpControlEncoding()).isEqualTo(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(c.throughputStateKey()).isEqualTo("state/sync-throughput.json");
        assertThat(c.minAge()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.canFanOut()).isFalse(); // no AWS_LAMBDA_FUNCTION_NAME
    }

    @Test
    void keysAreRawPrefixPlusRelativePath() {
        Map<String, String> env = minimal();
        env.put("FTP_REMOTE_DIR", "export/metadata/");
        env.put("RAW_PREFIX", "incoming");
        SyncConfig c = SyncConfig.fromEnv(env);
        assertThat(c.ftpRemoteDir()).isEqualTo("/export/metadata");
        assertThat(c.absolutePath("2018/a.csv.gz")).isEqualTo("/export/metadata/2018/a.csv.gz");
        assertThat(c.keyFor("2018/a.csv.gz")).isEqualTo("incoming/2018/a.csv.gz");
        assertThat(SyncConfig.fromEnv(minimal()).absolutePath("a.csv.gz")).isEqualTo("/a.csv.gz");
    }

    /**
     * FTP_REMOTE_DIR goes verbatim into MLSD, LIST, CWD and RETR: a CR or LF in it would end the command and start
     * another one. Refused when the function starts, naming the setting; blanks and a line break around it are trimmed
     * as before, and any other character (glob characters, spaces, non-ASCII) is the server's business.
     */
    @Test
    void aRemoteDirWithAControlCharacterIsRefusedAndAnyOtherIsTaken() {
        for (String bad : List.of("/in\r\nDELE /in/a.csv.gz", "/in\nx", "/in\u0000x", "/a\tb", "/a\u007Fb")) {
            Map<String, String> env = minimal();
            env.put("FTP_REMOTE_DIR", bad);
            assertThatThrownBy(() -> SyncConfig.fromEnv(env)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("FTP_REMOTE_DIR must not contain control characters")
                    .hasMessageNotContaining("\n").hasMessageNotContaining("\r");
        }
        Map<String, String> taken = Map.of("/export/metadata", "/export/metadata", " /in/\n", "/in",
                "in/br[1]", "/in/br[1]", "/Åland/a b", "/Åland/a b", "   ", "/", "/in/\u0085x", "/in/\u0085x");
        taken.forEach((value, dir) -> {
            Map<String, String> env = minimal();
            env.put("FTP_REMOTE_DIR", value);
            assertThat(SyncConfig.fromEnv(env).ftpRemoteDir()).as(value).isEqualTo(dir);
        });
    }

    @Test
    void patternsAreCommaSeparated() {
        Map<String, String> env = minimal();
        env.put("FTP_PATTERNS", " *.csv.gz , *.log.gz,,");
        assertThat(SyncConfig.fromEnv(env).patterns()).containsExactly("*.csv.gz", "*.log.gz");
    }

    @Test
    void fanOutNeedsAFunctionName() {
        Map<String, String> env = minimal();
        env.put("AWS_LAMBDA_FUNCTION_NAME", "netmeta-dev-sync");
        assertThat(SyncConfig.fromEnv(env).canFanOut()).isTrue();
        env.put("SYNC_FANOUT_ENABLED", "false");
        assertThat(SyncConfig.fromEnv(env).canFanOut()).isFalse();
    }

    @Test
    void badValuesNameTheVariable() {
        Map<String, String> env = minimal();
        env.remove("BUCKET");
        assertThatThrownBy(() -> SyncConfig.fromEnv(env)).hasMessageContaining("BUCKET");
        Map<String, String> env2 = minimal();
        env2.put("FTP_PORT", "twenty-one");
        assertThatThrownBy(() -> SyncConfig.fromEnv(env2)).hasMessageContaining("FTP_PORT");
        Map<String, String> env3 = minimal();
        env3.put("FTP_TLS", "implicit");
        assertThatThrownBy(() -> SyncConfig.fromEnv(env3)).hasMessageContaining("FTP_TLS");
        Map<String, String> env4 = minimal();
        env4.put("SYNC_PART_SIZE_MB", "4");
        assertThatThrownBy(() -> SyncConfig.fromEnv(env4)).hasMessageContaining("SYNC_PART_SIZE_MB");
        Map<String, String> env5 = minimal();
        env5.put("FTP_RECURSIVE", "maybe");
        assertThatThrownBy(() -> SyncConfig.fromEnv(env5)).hasMessageContaining("FTP_RECURSIVE");
    }

    @Test
    void numbersOutOfTheirRangeAreRefusedAtStartNamingTheSetting() {
        Map<String, String> cases = Map.of(
                "FTP_PORT", "0",
                "FTP_TIMEOUT_MS", "0",
                "SYNC_MIN_AGE_SECONDS", "-120",
                "SYNC_TIME_MARGIN_MS", "-1",
                "SYNC_FANOUT_MAX_FILES", "-5");
        cases.forEach((name, value) -> {
            Map<String, String> env = minimal();
            env.put(name, value);
            assertThatThrownBy(() -> SyncConfig.fromEnv(env)).as(name + "=" + value)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(name + " must be ").hasMessageEndingWith(", got " + value);
        });
        Map<String, String> port = minimal();
        port.put("FTP_PORT", "65536");
        assertThatThrownBy(() -> SyncConfig.fromEnv(port))
                .hasMessage("FTP_PORT must be a TCP port number from 1 to 65535, got 65536");
        Map<String, String> timeout = minimal();
        timeout.put("FTP_TIMEOUT_MS", "3000000000"); // cast to the sockets' int, it was a negative timeout
        assertThatThrownBy(() -> SyncConfig.fromEnv(timeout)).hasMessageContaining("from 1 to 900000 milliseconds");
    }

    @Test
    void theEdgesOfTheRangesAreAccepted() {
        Map<String, String> env = minimal();
        env.put("FTP_PORT", "65535");
        env.put("FTP_TIMEOUT_MS", "900000");
        env.put("SYNC_MIN_AGE_SECONDS", "0");
        env.put("SYNC_TIME_MARGIN_MS", "0");
        env.put("SYNC_FANOUT_MAX_FILES", "0");
        SyncConfig c = SyncConfig.fromEnv(env);
        assertThat(c.ftpPort()).isEqualTo(65535);
        assertThat(c.ftpTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.minAge()).isZero();
        assertThat(c.timeMarginMillis()).isZero();
        assertThat(c.fanOutMaxFiles()).isZero();
    }

    @Test
    void toStringHoldsNoSecrets() {
        Map<String, String> env = minimal();
        env.put("FTP_TLS", "explicit");
        env.put("FTP_TRUSTSTORE", "/opt/trust.p12");
        env.put("FTP_TRUSTSTORE_PASSWORD", "store-secret-123");
        env.put("FTP_PASSWORD", "ftp-secret-456");
        String s = SyncConfig.fromEnv(env).toString();
        assertThat(s).doesNotContain("store-secret-123").doesNotContain("ftp-secret-456");
    }

    @Test
    void unknownServerTimeZoneIsAClearError() {
        Map<String, String> env = minimal();
        env.put("FTP_SERVER_TIMEZONE", "Europe/Atlantis");
        assertThatThrownBy(() -> SyncConfig.fromEnv(env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FTP_SERVER_TIMEZONE").hasMessageContaining("Europe/Atlantis");
    }

    @Test
    void aServerTimeZoneTheListParserCannotReadIsRefusedNamingTheSetting() {
        Map<String, String> env = minimal();
        env.put("FTP_SERVER_TIMEZONE", "+02:00:30");
        assertThatThrownBy(() -> SyncConfig.fromEnv(env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FTP_SERVER_TIMEZONE '+02:00:30'").hasMessageContaining("+05:30");
        env.put("FTP_SERVER_TIMEZONE", "utc");
        assertThatThrownBy(() -> SyncConfig.fromEnv(env)).as("zone ids are case-sensitive")
                .hasMessageContaining("FTP_SERVER_TIMEZONE").hasMessageContaining("'utc'");
    }

    @Test
    void anInfiniteThroughputEstimateIsRefused() {
        // it would plan every file into the scheduled run: no copy-file invocation, ever
        for (String bad : new String[] {"Infinity", "0", "-5", "NaN"}) {
            Map<String, String> env = minimal();
            env.put("SYNC_THROUGHPUT_MBPS", bad);
            assertThatThrownBy(() -> SyncConfig.fromEnv(env)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SYNC_THROUGHPUT_MBPS must be a number of MB/s above 0");
        }
        Map<String, String> env = minimal();
        env.put("SYNC_THROUGHPUT_MBPS", "12.5");
        assertThat(SyncConfig.fromEnv(env).initialThroughputMBps()).isEqualTo(12.5);
    }

    @Test
    void controlEncodingIsConfigurableForServersThatDoNotSpeakUtf8() {
        Map<String, String> env = minimal();
        env.put("FTP_CONTROL_ENCODING", "ISO-8859-1");
        assertThat(SyncConfig.fromEnv(env).ftpControlEncoding()).isEqualTo(java.nio.charset.StandardCharsets.ISO_8859_1);
        env.put("FTP_CONTROL_ENCODING", "Klingon-8");
        assertThatThrownBy(() -> SyncConfig.fromEnv(env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FTP_CONTROL_ENCODING").hasMessageContaining("Klingon-8");
    }

    @Test
    void throughputStateStaysOutsideTheRawPrefix() {
        Map<String, String> env = minimal();
        env.put("RAW_PREFIX", "state");
        assertThat(SyncConfig.fromEnv(env).throughputStateKey()).as("default key inside RAW_PREFIX: not kept").isNull();
        env.put("RAW_PREFIX", "raw/");
        env.put("SYNC_STATE_KEY", "raw/state.json");
        assertThatThrownBy(() -> SyncConfig.fromEnv(env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SYNC_STATE_KEY").hasMessageContaining("outside RAW_PREFIX");
        env.put("SYNC_STATE_KEY", " ");
        assertThat(SyncConfig.fromEnv(env).throughputStateKey()).isNull();
        env.put("SYNC_STATE_KEY", "ops/sync.json");
        assertThat(SyncConfig.fromEnv(env).throughputStateKey()).isEqualTo("ops/sync.json");
    }

    /**
     * A trust setting with plain FTP would be ignored while the password goes out in cleartext: whoever set it believes
     * the session is encrypted. Each of the three is refused, naming itself, FTP_TLS and both ways out; with FTPS each
     * is taken.
     */
    @Test
    void aTrustSettingWithPlainFtpIsRefused() {
        Map<String, String> settings = Map.of("FTP_TRUSTED_CERT_PARAM", "/netmeta/ftp-ca",
                "FTP_TRUSTED_CERT_FILE", "/certs/ftp-ca.pem", "FTP_TRUSTSTORE", "/opt/trust.p12");
        settings.forEach((name, value) -> {
            for (String plain : new String[] {null, "none", "NONE"}) {
                Map<String, String> env = minimal();
                env.put(name, value);
                if (name.equals("FTP_TRUSTSTORE")) {
                    env.put("FTP_TRUSTSTORE_PASSWORD", "store-secret-123");
                }
                if (plain != null) {
                    env.put("FTP_TLS", plain);
                }
                assertThatThrownBy(() -> SyncConfig.fromEnv(env)).as("%s with FTP_TLS=%s", name, plain)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage(name + " is set but FTP_TLS is 'none': the certificates would not be used and the"
                                + " password would be sent unencrypted; set FTP_TLS=explicit (deploy parameter ftpTls)"
                                + " for FTPS, or remove " + name + " for plain FTP")
                        .hasMessageNotContaining("store-secret-123");
            }
            Map<String, String> env = minimal();
            env.put(name, value);
            env.put("FTP_TLS", "explicit");
            SyncConfig ftps = SyncConfig.fromEnv(env);
            assertThat(ftps.tls()).isTrue();
            assertThat(Stream.of(ftps.trustedCertParam(), ftps.trustedCertFile(), ftps.trustStore()))
                    .as(name).containsOnlyOnce(value);
        });

        Map<String, String> blank = minimal();
        blank.put("FTP_TRUSTSTORE", " ");
        blank.put("FTP_TRUSTED_CERT_PARAM", "");
        assertThat(SyncConfig.fromEnv(blank).tls()).as("an empty setting (the manifest's default) is not set").isFalse();
    }

    /**
     * A trust-store password without a trust store would be ignored while its owner believes the store is in use; it is
     * refused whatever FTP_TLS and the other trust settings say, naming both settings and never the password.
     */
    @Test
    void aTrustStorePasswordWithoutATrustStoreIsRefused() {
        String expected = "FTP_TRUSTSTORE_PASSWORD is set but FTP_TRUSTSTORE is not: the password would open no trust"
                + " store and the FTPS server's certificate would be checked against something else; set FTP_TRUSTSTORE"
                + " to the PKCS12/JKS file it opens, or remove FTP_TRUSTSTORE_PASSWORD";
        for (String tls : new String[] {"explicit", "none"}) {
            for (String other : new String[] {null, "FTP_TRUSTED_CERT_FILE", "FTP_TRUSTED_CERT_PARAM"}) {
                Map<String, String> env = minimal();
                env.put("FTP_TLS", tls);
                env.put("FTP_TRUSTSTORE_PASSWORD", "store-secret-123");
                if (other != null) {
                    env.put(other, "/certs/ftp-ca.pem");
                }
                assertThatThrownBy(() -> SyncConfig.fromEnv(env)).as("FTP_TLS=%s with %s", tls, other)
                        .isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
            }
        }
        Map<String, String> withStore = minimal();
        withStore.put("FTP_TLS", "explicit");
        withStore.put("FTP_TRUSTSTORE", "/opt/trust.p12");
        withStore.put("FTP_TRUSTSTORE_PASSWORD", "store-secret-123");
        assertThat(SyncConfig.fromEnv(withStore).trustStorePassword()).isEqualTo("store-secret-123");
        withStore.remove("FTP_TRUSTSTORE_PASSWORD");
        assertThat(SyncConfig.fromEnv(withStore).trustStorePassword()).as("a store without a password").isNull();
        Map<String, String> blank = minimal();
        blank.put("FTP_TRUSTSTORE_PASSWORD", " ");
        assertThat(SyncConfig.fromEnv(blank).trustStorePassword()).as("an empty setting is not set").isNull();
    }
}
