package dev.netmeta.local.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunnerOptionsTest {

    @Test
    void defaults() {
        RunnerOptions o = RunnerOptions.parse(new String[0], Map.of());
        assertThat(o.dataDir()).isEqualTo(Path.of(".netmeta").toAbsolutePath().normalize());
        assertThat(o.effectiveFtpRoot()).isEqualTo(o.dataDir().resolve("ftp"));
        assertThat(o.defaultFtpRoot()).isTrue();
        assertThat(o.samples()).isEqualTo(4);
        assertThat(o.port()).isEqualTo(3000);
        assertThat(o.syncRate()).isNull();
        assertThat(o.openSearchUrl()).isNull();
        assertThat(o.indexRetentionDays()).as("the manifest's").isNull();
        assertThat(o.verbose()).isFalse();
    }

    @Test
    void theIndexRetentionIsCheckedAsTheFunctionsCheckIt() {
        assertThat(RunnerOptions.parse(new String[]{"--index-retention-days", "30"}, Map.of()).indexRetentionDays())
                .isEqualTo(new dev.netmeta.load.RetentionDays(30));
        assertThat(RunnerOptions.parse(new String[0], Map.of("NETMETA_INDEX_RETENTION_DAYS", "OFF"))
                .indexRetentionDays()).isEqualTo(dev.netmeta.load.RetentionDays.OFF);
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--index-retention-days=0"}, Map.of()))
                .hasMessageStartingWith("--index-retention-days: INDEX_RETENTION_DAYS must be off")
                .hasMessageContaining("got '0'");
        assertThat(RunnerOptions.usage()).contains("--index-retention-days N|off")
                .contains("NETMETA_INDEX_RETENTION_DAYS");
    }

    @Test
    void flagsWinOverEnvironmentVariables() {
        RunnerOptions o = RunnerOptions.parse(new String[]{"--port", "3100", "--sync-rate=rate(5 minutes)", "--verbose"},
                Map.of("NETMETA_PORT", "3200", "NETMETA_SAMPLES", "0", "NETMETA_DATA_DIR", "/tmp/nm",
                        "NETMETA_FTP_URL", "ftps://u:p@ftp.example.net:2121/in"));
        assertThat(o.port()).isEqualTo(3100);
        assertThat(o.samples()).isZero();
        assertThat(o.dataDir()).isEqualTo(Path.of("/tmp/nm"));
        assertThat(o.syncRate().interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.ftpUrl().getHost()).isEqualTo("ftp.example.net");
        assertThat(o.verbose()).isTrue();
        assertThat(RunnerOptions.envName("opensearch-url")).isEqualTo("NETMETA_OPENSEARCH_URL");
    }

    @Test
    void badValuesAreExplained() {
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--port", "http"}, Map.of()))
                .hasMessageContaining("--port must be a whole number");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--sync-rate", "5m"}, Map.of()))
                .hasMessageContaining("--sync-rate").hasMessageContaining("rate(");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--sync-rate", "cron(0 * * * ? *)"}, Map.of()))
                .as("no advice to use the option just used")
                .hasMessage("--sync-rate: 'cron(0 * * * ? *)' is a cron expression; the local runner repeats only rate"
                        + " expressions, such as rate(5 minutes) (a cron schedule of the manifest runs at start only)");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--opensearch-url", "localhost:9200"}, Map.of()))
                .hasMessageContaining("--opensearch-url");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--nope"}, Map.of()))
                .hasMessageContaining("unknown option --nope");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--samples"}, Map.of()))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--help"}, Map.of()))
                .isInstanceOf(RunnerOptions.HelpRequested.class);
        assertThat(RunnerOptions.usage()).contains("--data-dir").contains("NETMETA_FTP_ROOT");
    }

    /** A bad value from a NETMETA_* variable names the variable, which is what the user set, beside the flag. */
    @Test
    void aBadValueFromAVariableNamesTheVariable() {
        assertThatThrownBy(() -> RunnerOptions.parse(new String[0], Map.of("NETMETA_PORT", "abc")))
                .hasMessage("--port (set by NETMETA_PORT) must be a whole number, got 'abc'");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[0], Map.of("NETMETA_INDEX_RETENTION_DAYS", "30d")))
                .hasMessageStartingWith("--index-retention-days (set by NETMETA_INDEX_RETENTION_DAYS): ");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--port", "abc"}, Map.of("NETMETA_PORT", "3100")))
                .as("the flag wins, and is what is named").hasMessage("--port must be a whole number, got 'abc'");
        assertThat(RunnerOptions.parse(new String[]{"--port", "3100"}, Map.of("NETMETA_PORT", "abc")).port())
                .isEqualTo(3100);
    }

    @Test
    void anFtpRootThatIsAFileOrBesideAnFtpUrlIsRefusedNamingTheOption(@TempDir Path dir) throws Exception {
        // a file was "could not start: cannot create directory …" after the OpenSearch node had started
        Path file = Files.writeString(dir.resolve("logs.csv.gz"), "not a directory");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--ftp-root", file.toString()}, Map.of()))
                .hasMessage("--ftp-root: '" + file + "' is a file, not a directory (a directory is created when"
                        + " missing)");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[0], Map.of("NETMETA_FTP_ROOT", file.toString())))
                .hasMessageStartingWith("--ftp-root (set by NETMETA_FTP_ROOT): '" + file + "' is a file");
        // with --ftp-url the directory was ignored without a word
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--ftp-root", dir.toString(),
                "--ftp-url", "ftp://u:p@ftp.example.net/in"}, Map.of()))
                .hasMessage("--ftp-root is the directory the embedded FTP server serves, and --ftp-url replaces that"
                        + " server: give one of them");
        Path missing = dir.resolve("drop");
        RunnerOptions o = RunnerOptions.parse(new String[]{"--ftp-root", missing.toString()}, Map.of());
        assertThat(o.effectiveFtpRoot()).as("created at the start").isEqualTo(missing);
        assertThat(o.defaultFtpRoot()).isFalse();
    }

    @Test
    void aManifestThatIsNotAFileIsRefusedNamingTheOption(@TempDir Path dir) throws Exception {
        // was "could not start: cannot read …: no such file", naming neither --manifest nor NETMETA_MANIFEST
        Path missing = dir.resolve("serverless.yml");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--manifest", missing.toString()}, Map.of()))
                .hasMessage("--manifest: '" + missing + "' does not exist");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[0], Map.of("NETMETA_MANIFEST", missing.toString())))
                .hasMessage("--manifest (set by NETMETA_MANIFEST): '" + missing + "' does not exist");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--manifest", dir.toString()}, Map.of()))
                .hasMessage("--manifest: '" + dir + "' is a directory, expected the serverless.yml file");
        Files.writeString(missing, "service: x\n");
        assertThat(RunnerOptions.parse(new String[]{"--manifest", missing.toString()}, Map.of()).manifest())
                .isEqualTo(missing);
    }

    @Test
    void verboseTakesNoValueOrABooleanAndRefusesAnythingElse() {
        assertThat(RunnerOptions.parse(new String[]{"--verbose"}, Map.of()).verbose()).isTrue();
        assertThat(RunnerOptions.parse(new String[]{"--verbose=off"}, Map.of()).verbose()).isFalse();
        assertThat(RunnerOptions.parse(new String[0], Map.of("NETMETA_VERBOSE", "1")).verbose()).isTrue();
        assertThat(RunnerOptions.parse(new String[0], Map.of("NETMETA_VERBOSE", "false")).verbose()).isFalse();
        assertThat(RunnerOptions.parse(new String[0], Map.of()).verbose()).isFalse();
        assertThatThrownBy(() -> RunnerOptions.parse(new String[0], Map.of("NETMETA_VERBOSE", "maybe")))
                .as("was read as off without a word")
                .hasMessage("--verbose (set by NETMETA_VERBOSE) is on or off: true or false (also yes/no, on/off, 1/0),"
                        + " got 'maybe'");
    }

    @Test
    void aValueAfterVerboseWithoutEqualsIsRefusedNamingTheEqualsForm() {
        // LOCAL.md's table offered "a value true/false": "--verbose false" was only an "unexpected argument 'false'"
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--verbose", "false"}, Map.of()))
                .hasMessage("unexpected argument 'false' (--verbose takes a value only after '=': --verbose=false)");
        assertThat(RunnerOptions.parse(new String[]{"--verbose=false"}, Map.of()).verbose()).isFalse();
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--port", "3100", "extra"}, Map.of()))
                .as("after a flag that took its value, nothing to add").hasMessage("unexpected argument 'extra'");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--verbose=on", "yes"}, Map.of()))
                .hasMessage("unexpected argument 'yes'");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"stray"}, Map.of()))
                .hasMessage("unexpected argument 'stray'");
    }

    @Test
    void anOptionWhereItsValueShouldBeIsNotTakenAsTheValue() {
        // "--data-dir --port 3177" took "--port" as the data directory and 3177 as an unexpected argument
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--data-dir", "--port", "3177"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--data-dir needs a value (DIR)")
                .hasMessageContaining("'--port'")
                .hasMessageContaining("--data-dir=--port");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--samples", "--verbose"}, Map.of()))
                .hasMessageContaining("--samples needs a value (N)");
        // the "=" form states the value explicitly, even one that starts with "--"
        assertThat(RunnerOptions.parse(new String[]{"--data-dir=--odd"}, Map.of()).dataDir().getFileName().toString())
                .isEqualTo("--odd");
        assertThat(RunnerOptions.parse(new String[]{"--data-dir", "-odd"}, Map.of()).dataDir().getFileName().toString())
                .as("one dash is a value").isEqualTo("-odd");
    }

    @Test
    void aTrustedCertificateFileIsTakenForAnFtpsUrl(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        RunnerOptions flag = RunnerOptions.parse(new String[]{"--ftp-url", "ftps://u:p@ftp.example.net/in",
                "--ftp-trusted-cert", pem.toString()}, Map.of());
        assertThat(flag.ftpTrustedCert()).isEqualTo(pem);
        RunnerOptions env = RunnerOptions.parse(new String[0], Map.of("NETMETA_FTP_URL", "FTPS://u:p@ftp.example.net/in",
                "NETMETA_FTP_TRUSTED_CERT", pem.toString()));
        assertThat(env.ftpTrustedCert()).isEqualTo(pem);
        assertThat(RunnerOptions.parse(new String[]{"--ftp-url", "ftps://u:p@ftp.example.net/in"}, Map.of()).ftpTrustedCert())
                .as("the JVM's CA certificates").isNull();
        assertThat(RunnerOptions.usage()).contains("--ftp-trusted-cert FILE").contains("NETMETA_FTP_TRUSTED_CERT");
    }

    @Test
    void aTrustedCertificateWithoutAnFtpsServerOrReadableFileIsRefusedAtStart(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--ftp-trusted-cert", pem.toString()}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--ftp-trusted-cert is for an external FTPS server: give its ftps:// URL with --ftp-url"
                        + " (the embedded FTP server is plain FTP)");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--ftp-url", "ftp://u:p@ftp.example.net/in"},
                Map.of("NETMETA_FTP_TRUSTED_CERT", pem.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--ftp-trusted-cert (set by NETMETA_FTP_TRUSTED_CERT) needs an ftps:// --ftp-url, got"
                        + " ftp://: the certificates would not be used and the password would be sent unencrypted");
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--ftp-url", "ftps://u:p@ftp.example.net/in",
                "--ftp-trusted-cert", missing.toString()}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--ftp-trusted-cert: '" + missing + "' does not exist");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--ftp-url", "ftps://u:p@ftp.example.net/in",
                "--ftp-trusted-cert", dir.toString()}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--ftp-trusted-cert: '" + dir + "' is a directory, expected a PEM file");
        if (Files.getFileStore(pem).supportsFileAttributeView("posix") && !"root".equals(System.getProperty("user.name"))) {
            Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("-w-------"));
            assertThatThrownBy(() -> RunnerOptions.parse(new String[]{"--ftp-url", "ftps://u:p@ftp.example.net/in",
                    "--ftp-trusted-cert", pem.toString()}, Map.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--ftp-trusted-cert: cannot read '" + pem + "': ")
                    .hasMessageContaining("AccessDeniedException");
        }
    }
}
