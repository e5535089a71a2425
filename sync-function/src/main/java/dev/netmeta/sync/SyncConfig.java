package dev.netmeta.sync;

import dev.netmeta.model.Env;
import java.nio.charset.Charset;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TimeZone;
import java.util.stream.Stream;

/**
 * The sync function's settings, read once from the environment (names in docs/CONTRACTS.md and docs/SYNC.md). The
 * FTP password is not one of them: {@code SyncFactory.secretSource} reads FTP_PASSWORD_PARAM / FTP_PASSWORD. The
 * certificate settings are names (of an SSM parameter, of files); {@link FtpTrust} reads what they name.
 */
public record SyncConfig(
        String ftpHost,
        int ftpPort,
        String ftpUser,
        String ftpRemoteDir,
        boolean recursive,
        List<String> patterns,
        boolean tls,
        String trustStore,
        String trustStorePassword,
        String trustedCertParam,
        String trustedCertFile,
        boolean verifyHostname,
        Duration ftpTimeout,
        ZoneId ftpServerTimeZone,
        Charset ftpControlEncoding,
        String bucket,
        String rawPrefix,
        Duration minAge,
        int partSizeBytes,
        long streamingPutMaxBytes,
        int concurrency,
        long timeMarginMillis,
        boolean fanOutEnabled,
        int fanOutMaxFiles,
        double initialThroughputMBps,
        String throughputStateKey,
        String functionName) {

    static final int MB = 1024 * 1024;
    /**
     * The most FTP_TIMEOUT_MS may be: 15 minutes, Lambda's longest invocation — a longer wait outlasts any run, and
     * the socket timeouts take an int.
     */
    static final long MAX_FTP_TIMEOUT_MILLIS = 900_000;

    public static SyncConfig fromEnv(Map<String, String> env) {
        Env r = Env.of(env);
        String tlsMode = r.get("FTP_TLS", "none").toLowerCase(Locale.ROOT);
        if (!tlsMode.equals("none") && !tlsMode.equals("explicit")) {
            throw new IllegalArgumentException("FTP_TLS must be 'none' or 'explicit', got '" + tlsMode + "'");
        }
        int partMb = (int) within(r, "SYNC_PART_SIZE_MB", 8, 5, 512, "between 5 and 512 (S3's minimum part is 5 MiB)");
        int concurrency = (int) within(r, "SYNC_CONCURRENCY", 4, 1, 64, "between 1 and 64");
        List<String> patterns = Arrays.stream(r.get("FTP_PATTERNS", "*.csv.gz").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("FTP_PATTERNS must name at least one pattern, e.g. '*.csv.gz,*.log.gz'");
        }
        long streamingMb = within(r, "SYNC_STREAMING_PUT_MAX_MB", 100, 0, 5 * 1024,
                "between 0 (off) and 5120 (S3's PutObject limit)");
        double throughput = r.getDouble("SYNC_THROUGHPUT_MBPS", 50.0);
        if (!(throughput > 0) || Double.isInfinite(throughput)) {
            // Infinity would plan every file into the scheduled run (unbounded capacity): no fan-out, ever
            throw new IllegalArgumentException("SYNC_THROUGHPUT_MBPS must be a number of MB/s above 0, got " + throughput);
        }
        String trustedCertParam = r.get("FTP_TRUSTED_CERT_PARAM", null);
        String trustedCertFile = r.get("FTP_TRUSTED_CERT_FILE", null);
        String trustStore = r.get("FTP_TRUSTSTORE", null);
        String trustStorePassword = r.get("FTP_TRUSTSTORE_PASSWORD", null);
        requireTrustStoreForItsPassword(trustStore, trustStorePassword);
        requireOneTrustSetting(tlsMode.equals("explicit"), trustedCertParam, trustedCertFile, trustStore);
        String rawPrefix = r.get("RAW_PREFIX", "raw/");
        if (!rawPrefix.isEmpty() && !rawPrefix.endsWith("/")) {
            rawPrefix = rawPrefix + "/";
        }
        return new SyncConfig(
                r.require("FTP_HOST"),
                (int) within(r, "FTP_PORT", 21, 1, 65_535, "a TCP port number from 1 to 65535"),
                r.require("FTP_USER"),
                normaliseDir(r.get("FTP_REMOTE_DIR", "/")),
                r.getBool("FTP_RECURSIVE", true),
                patterns,
                tlsMode.equals("explicit"),
                trustStore,
                trustStorePassword,
                trustedCertParam,
                trustedCertFile,
                r.getBool("FTP_TLS_VERIFY_HOSTNAME", true),
                Duration.ofMillis(within(r, "FTP_TIMEOUT_MS", 30_000, 1, MAX_FTP_TIMEOUT_MILLIS,
                        "from 1 to 900000 milliseconds (0 would be no timeout at all: a server that stops answering"
                        + " would hold the invocation until Lambda ends it)")),
                zone(r.get("FTP_SERVER_TIMEZONE", "UTC")),
                charset(r.get("FTP_CONTROL_ENCODING", "UTF-8")),
                r.require("BUCKET"),
                rawPrefix,
                Duration.ofSeconds(within(r, "SYNC_MIN_AGE_SECONDS", 120, 0, Long.MAX_VALUE / 1_000,
                        "0 or more seconds (below 0 a file still being written would count as finished)")),
                partMb * MB,
                streamingMb * MB,
                concurrency,
                within(r, "SYNC_TIME_MARGIN_MS", 60_000, 0, Long.MAX_VALUE, "0 or more milliseconds"),
                r.getBool("SYNC_FANOUT_ENABLED", true),
                (int) within(r, "SYNC_FANOUT_MAX_FILES", 100, 0, Integer.MAX_VALUE, "0 (no fan-out) or more files"),
                throughput,
                stateKey(env.get("SYNC_STATE_KEY"), rawPrefix),
                r.get("AWS_LAMBDA_FUNCTION_NAME", null));
    }

    /**
     * A trust-store password opens nothing without a trust store: whoever set it believes a store of theirs is in use,
     * while the chain would be checked against something else (the JVM's CAs or another trust setting). Most likely
     * FTP_TRUSTSTORE was lost or misspelt; the message never holds the password.
     */
    private static void requireTrustStoreForItsPassword(String trustStore, String trustStorePassword) {
        if (trustStore == null && trustStorePassword != null) {
            throw new IllegalArgumentException("FTP_TRUSTSTORE_PASSWORD is set but FTP_TRUSTSTORE is not: the password"
                    + " would open no trust store and the FTPS server's certificate would be checked against something"
                    + " else; set FTP_TRUSTSTORE to the PKCS12/JKS file it opens, or remove FTP_TRUSTSTORE_PASSWORD");
        }
    }

    /**
     * At most one of the ways to trust a private CA (they are not combined), and each only with FTPS: a trust setting
     * with plain FTP would be ignored while the password goes out in cleartext — whoever set it believes the session
     * is encrypted and the server checked.
     */
    private static void requireOneTrustSetting(boolean tls, String certParam, String certFile, String trustStore) {
        long set = Stream.of(certParam, certFile, trustStore).filter(Objects::nonNull).count();
        if (set > 1) {
            throw new IllegalArgumentException("set only one of FTP_TRUSTED_CERT_PARAM, FTP_TRUSTED_CERT_FILE and"
                    + " FTP_TRUSTSTORE (the certificates of one are trusted, they are not combined)");
        }
        if (!tls && set > 0) {
            String name = certParam != null ? "FTP_TRUSTED_CERT_PARAM"
                    : certFile != null ? "FTP_TRUSTED_CERT_FILE" : "FTP_TRUSTSTORE";
            throw new IllegalArgumentException(name + " is set but FTP_TLS is 'none': the certificates would not be used"
                    + " and the password would be sent unencrypted; set FTP_TLS=explicit (deploy parameter ftpTls) for"
                    + " FTPS, or remove " + name + " for plain FTP");
        }
    }

    /**
     * A whole number of the setting within [min, max] ({@code rule} says so in words), or its default when unset. Out
     * of range is refused when the function starts, naming the setting, as every other bad value is: before,
     * FTP_TIMEOUT_MS=0 was no timeout at all, a negative one failed every connection in the JDK's socket code ("timeout
     * can't be negative"), and a negative SYNC_MIN_AGE_SECONDS copied files still being written.
     */
    private static long within(Env env, String name, long fallback, long min, long max, String rule) {
        long value = env.getLong(name, fallback);
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + rule + ", got " + value);
        }
        return value;
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FTP_CONTROL_ENCODING must name a character set such as UTF-8 or "
                    + "ISO-8859-1, got '" + name + "'");
        }
    }

    /** Fan-out needs a function to invoke: Lambda sets AWS_LAMBDA_FUNCTION_NAME, the local runner does too. */
    public boolean canFanOut() {
        return fanOutEnabled && functionName != null && fanOutMaxFiles > 0;
    }

    /** Absolute FTP path of a file given by its path relative to the remote directory. */
    public String absolutePath(String relativePath) {
        return ftpRemoteDir.endsWith("/") ? ftpRemoteDir + relativePath : ftpRemoteDir + "/" + relativePath;
    }

    public String keyFor(String relativePath) {
        return rawPrefix + relativePath;
    }

    /**
     * FTP_REMOTE_DIR as an absolute path without a trailing {@code /} ({@code in/} is {@code /in}; blank is {@code /}).
     * Refused with a control character inside (blanks and control characters around it are trimmed): the path goes
     * verbatim into FTP commands ({@code MLSD}, {@code CWD}, {@code RETR}), where a CR or LF would end the command
     * and start another one — what the copy-file event's path is refused for too.
     */
    static String normaliseDir(String dir) {
        if (dir.trim().chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("FTP_REMOTE_DIR must not contain control characters (a line break would"
                    + " end the FTP command that names the directory and start another one), got '"
                    + dir.trim().replaceAll("\\p{Cntrl}", "?") + "'");
        }
        String d = dir.trim().isEmpty() ? "/" : dir.trim();
        if (!d.startsWith("/")) {
            d = "/" + d;
        }
        while (d.length() > 1 && d.endsWith("/")) {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }

    static final String DEFAULT_STATE_KEY = "state/sync-throughput.json";

    /**
     * Where the measured throughput is kept between runs: outside RAW_PREFIX, or load would take it for data.
     * Unset: {@value #DEFAULT_STATE_KEY} (not kept when that lies inside RAW_PREFIX); empty: not kept.
     */
    private static String stateKey(String configured, String rawPrefix) {
        if (configured == null) {
            return DEFAULT_STATE_KEY.startsWith(rawPrefix) ? null : DEFAULT_STATE_KEY;
        }
        String key = configured.trim();
        if (key.isEmpty()) {
            return null;
        }
        if (key.startsWith(rawPrefix)) {
            throw new IllegalArgumentException("SYNC_STATE_KEY '" + key + "' must lie outside RAW_PREFIX '" + rawPrefix
                    + "' (objects there start a load), e.g. " + DEFAULT_STATE_KEY);
        }
        return key;
    }

    /**
     * Time zone of the times in the server's LIST output (MLSD times are UTC by RFC 3659 and never shifted). Refused
     * also when commons-net's LIST parser cannot read times in it: an offset with seconds ({@code +02:00:30}), which
     * {@link #listingTimeZone} would turn into GMT without a word.
     */
    private static ZoneId zone(String id) {
        ZoneId zone;
        try {
            zone = ZoneId.of(id.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("FTP_SERVER_TIMEZONE must be a time-zone id such as UTC, Europe/Berlin or "
                    + "America/New_York, or an offset such as +02:00 (the zone of the times in the FTP server's LIST"
                    + " output), got '" + id + "'");
        }
        if (!listingTimeZone(zone).toZoneId().getRules().equals(zone.getRules())) {
            throw new IllegalArgumentException("FTP_SERVER_TIMEZONE '" + id + "' cannot be used to read LIST times (an"
                    + " offset takes hours and minutes only, e.g. +05:30)");
        }
        return zone;
    }

    /**
     * The {@link TimeZone} commons-net's LIST parser reads times in. Normalised first: {@code TimeZone} knows only
     * {@code GMT}-prefixed offsets and answers any other id it does not know with GMT — so {@code UTC+2}, which
     * {@link ZoneId} reads as {@code UTC+02:00}, made every LIST time two hours off while MDTM was read right.
     */
    static TimeZone listingTimeZone(ZoneId zone) {
        return TimeZone.getTimeZone(zone.normalized());
    }

    @Override
    public String toString() {
        // Never print the trust-store password; the FTP password is not part of the config at all.
        return "SyncConfig[ftp=" + ftpHost + ":" + ftpPort + ftpRemoteDir + ", user=" + ftpUser + ", tls=" + tls
                + ", bucket=" + bucket + ", prefix=" + rawPrefix + ", patterns=" + patterns + "]";
    }

}
