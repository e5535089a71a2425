package dev.netmeta.local.runner;

import dev.netmeta.load.RetentionDays;
import dev.netmeta.local.runner.manifest.RateExpression;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runner's settings: each flag also read from an environment variable ({@code --data-dir} ↔
 * {@code NETMETA_DATA_DIR}); a flag wins over its variable.
 */
public record RunnerOptions(
        Path dataDir,
        Path ftpRoot,
        int samples,
        int port,
        RateExpression syncRate,
        URI openSearchUrl,
        URI s3Endpoint,
        URI ftpUrl,
        Path ftpTrustedCert,
        Path manifest,
        RetentionDays indexRetentionDays,
        boolean verbose) {

    public static final int DEFAULT_SAMPLES = 4;
    public static final int DEFAULT_PORT = 3000;

    private static final List<String[]> FLAGS = List.of(
            new String[]{"data-dir", "DIR", "where everything persists (index, bucket, FTP root, state, logs)", "./.netmeta"},
            new String[]{"ftp-root", "DIR", "serve this directory on the embedded FTP server", "<data-dir>/ftp"},
            new String[]{"samples", "N", "sample files seeded into the default FTP root when it is empty (0 = none)", "4"},
            new String[]{"port", "PORT", "local HTTP port: API routes, Lambda Invoke API, /_local/* (0 = any free port, shown in the ready line)", "3000"},
            new String[]{"sync-rate", "RATE", "schedule of the sync function, e.g. 'rate(5 minutes)'", "the manifest's"},
            new String[]{"opensearch-url", "URL", "use this OpenSearch instead of the embedded node (http://user:pw@host:9200)", ""},
            new String[]{"s3-endpoint", "URL", "use this S3-compatible endpoint instead of the embedded one (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)", ""},
            new String[]{"ftp-url", "URL", "use this FTP server instead of the embedded one: ftp[s]://user:password@host:port/dir", ""},
            new String[]{"ftp-trusted-cert", "FILE", "trust only the certificates in this PEM file (the server's self-signed one or its CA's) for the --ftp-url ftps:// server", "the JVM's CA certificates"},
            new String[]{"manifest", "FILE", "the serverless.yml to run", "./serverless.yml, else the nearest one above this directory or above the runner's jar"},
            new String[]{"index-retention-days", "N|off", "INDEX_RETENTION_DAYS of the functions that read it (load, loadContinue, retention): daily indices older than today - N are deleted at start and then daily; off keeps all", "the manifest's (off)"},
            new String[]{"verbose", "", "show function and third-party logs on the console", "off"});

    public static RunnerOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String[] flag : FLAGS) {
            String fromEnv = env.get(envName(flag[0]));
            if (fromEnv != null && !fromEnv.isBlank()) {
                values.put(flag[0], fromEnv.trim());
            }
        }
        Map<String, String> fromEnvironment = new LinkedHashMap<>(values); // less each flag given on the command line
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested();
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'" + afterAFlagWithoutValue(args, i));
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            String flagName = name;
            String[] flag = FLAGS.stream().filter(f -> f[0].equals(flagName)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown option --" + flagName));
            fromEnvironment.remove(name);
            if (flag[1].isEmpty()) {
                values.put(name, value == null ? "true" : value);
            } else {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--" + name + " needs a value (" + flag[1] + ")");
                    }
                    if (args[i + 1].startsWith("--")) {
                        // "--data-dir --port 3177" would keep a directory named "--port" and refuse 3177
                        throw new IllegalArgumentException("--" + name + " needs a value (" + flag[1] + "), got the option '"
                                + args[i + 1] + "'; for a value that starts with '--' write --" + name + "=" + args[i + 1]);
                    }
                    value = args[++i];
                }
                values.put(name, value);
            }
        }
        try {
            return of(values);
        } catch (IllegalArgumentException e) {
            throw namingTheVariable(e, fromEnvironment);
        }
    }

    /**
     * "--verbose false" read as --verbose and a stray "false", refused as an unexpected argument without a word of
     * why: a flag without a value takes one only after "=".
     */
    private static String afterAFlagWithoutValue(String[] args, int i) {
        if (i == 0 || !args[i - 1].startsWith("--") || args[i - 1].contains("=")) {
            return "";
        }
        String previous = args[i - 1].substring(2);
        boolean takesNoValue = FLAGS.stream().anyMatch(f -> f[0].equals(previous) && f[1].isEmpty());
        return takesNoValue ? " (--" + previous + " takes a value only after '=': --" + previous + "=" + args[i] + ")"
                : "";
    }

    /**
     * A bad value that came from a NETMETA_* variable, not a flag, is named with its variable too: "--port must be a
     * whole number" left a user who never typed --port looking for it.
     */
    private static IllegalArgumentException namingTheVariable(IllegalArgumentException e, Map<String, String> fromEnv) {
        String message = String.valueOf(e.getMessage());
        for (String name : fromEnv.keySet()) {
            String flag = "--" + name;
            if (message.startsWith(flag + " ") || message.startsWith(flag + ":")) {
                return new IllegalArgumentException(flag + " (set by " + envName(name) + ")"
                        + message.substring(flag.length()), e);
            }
        }
        return e;
    }

    private static RunnerOptions of(Map<String, String> values) {
        Path dataDir = Path.of(values.getOrDefault("data-dir", ".netmeta")).toAbsolutePath().normalize();
        URI ftpUrl = uri(values, "ftp-url", "ftp", "ftps");
        Path ftpRoot = ftpRoot(values.get("ftp-root"), ftpUrl);
        return new RunnerOptions(dataDir, ftpRoot,
                integer(values, "samples", DEFAULT_SAMPLES, 0, 1000),
                integer(values, "port", DEFAULT_PORT, 0, 65535),
                values.containsKey("sync-rate") ? rate(values.get("sync-rate")) : null,
                uri(values, "opensearch-url", "http", "https"),
                uri(values, "s3-endpoint", "http", "https"),
                ftpUrl,
                trustedCert(values.get("ftp-trusted-cert"), ftpUrl),
                manifest(values.get("manifest")),
                retentionDays(values.get("index-retention-days")),
                bool(values.get("verbose")));
    }

    /** The FTP root the embedded server serves: {@code --ftp-root}, or the default under the data directory. */
    public Path effectiveFtpRoot() {
        return ftpRoot != null ? ftpRoot : dataDir.resolve("ftp");
    }

    public boolean defaultFtpRoot() {
        return ftpRoot == null;
    }

    public static String envName(String flag) {
        return "NETMETA_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public static String usage() {
        StringBuilder b = new StringBuilder("""
                Runs netmeta on this machine: embedded OpenSearch, S3-compatible server and FTP server on 127.0.0.1,
                and the functions of serverless.yml wired as the manifest wires them.

                usage: java -jar local-runner/target/local-runner.jar [options]

                options (each also an environment variable):
                """);
        for (String[] f : FLAGS) {
            String left = "  --" + f[0] + (f[1].isEmpty() ? "" : " " + f[1]);
            b.append(String.format(Locale.ROOT, "%-31s %s%n%-31s   env %s%s%n", left, f[2], "", envName(f[0]),
                    f[3].isEmpty() ? "" : ", default " + f[3]));
        }
        return b.toString();
    }

    private static RateExpression rate(String text) {
        try {
            return RateExpression.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--sync-rate: " + e.getMessage());
        }
    }

    /** {@code --index-retention-days}: checked as the functions check INDEX_RETENTION_DAYS, before anything starts. */
    private static RetentionDays retentionDays(String value) {
        if (value == null) {
            return null;
        }
        try {
            return RetentionDays.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--index-retention-days: " + e.getMessage());
        }
    }

    private static int integer(Map<String, String> values, String name, int fallback, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    private static URI uri(Map<String, String> values, String name, String... schemes) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(v.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + ": '" + v + "' is not a URL");
        }
        if (uri.getScheme() == null || uri.getHost() == null
                || List.of(schemes).stream().noneMatch(s -> s.equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalArgumentException("--" + name + ": expected a URL " + String.join("|", schemes) + "://host[:port]…, got '" + v + "'");
        }
        return uri;
    }

    /**
     * {@code --ftp-trusted-cert}: only with an {@code ftps://} {@code --ftp-url} (the embedded server is plain FTP;
     * with {@code ftp://} the certificates would not be used while the password goes out unencrypted, which the sync
     * refuses too), and a file that can be read now rather than at the first sync. Its content is checked by the sync.
     */
    private static Path trustedCert(String value, URI ftpUrl) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (ftpUrl == null) {
            throw new IllegalArgumentException("--ftp-trusted-cert is for an external FTPS server: give its ftps:// URL with"
                    + " --ftp-url (the embedded FTP server is plain FTP)");
        }
        if (!"ftps".equalsIgnoreCase(ftpUrl.getScheme())) {
            throw new IllegalArgumentException("--ftp-trusted-cert needs an ftps:// --ftp-url, got " + ftpUrl.getScheme()
                    + "://: the certificates would not be used and the password would be sent unencrypted");
        }
        Path file = Path.of(value.trim()).toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("--ftp-trusted-cert: '" + file + "' is a directory, expected a PEM file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.read();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--ftp-trusted-cert: '" + file + "' does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("--ftp-trusted-cert: cannot read '" + file + "': " + e);
        }
        return file;
    }

    /**
     * {@code --ftp-root}: a directory (created when missing) of the embedded FTP server, so not with {@code --ftp-url},
     * which replaces that server. Both were found out late or not at all: a file was "cannot create directory …"
     * after the OpenSearch node had started, naming no option, and with {@code --ftp-url} the directory was ignored
     * without a word.
     */
    private static Path ftpRoot(String value, URI ftpUrl) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Path dir = Path.of(value.trim()).toAbsolutePath().normalize();
        if (ftpUrl != null) {
            throw new IllegalArgumentException("--ftp-root is the directory the embedded FTP server serves, and"
                    + " --ftp-url replaces that server: give one of them");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--ftp-root: '" + dir + "' is a file, not a directory (a directory is"
                    + " created when missing)");
        }
        return dir;
    }

    /**
     * {@code --manifest}: a file that exists, checked now — a wrong path stopped the start with "cannot read …: no such
     * file", which did not say that the path came from this option (or its variable).
     */
    private static Path manifest(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Path file = Path.of(value.trim()).toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("--manifest: '" + file + "' is a directory, expected the serverless.yml"
                    + " file");
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("--manifest: '" + file + "' does not exist");
        }
        return file;
    }

    /** {@code --verbose} (no value), or a value as the functions' {@code Env} reads booleans; anything else is refused. */
    private static boolean bool(String v) {
        if (v == null) {
            return false;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("--verbose is on or off: true or false (also yes/no, on/off,"
                    + " 1/0), got '" + v + "'");
        };
    }

    /** {@code --help}: print the usage and stop. */
    public static final class HelpRequested extends RuntimeException {
        public HelpRequested() {
            super("help", null, false, false);
        }
    }
}
