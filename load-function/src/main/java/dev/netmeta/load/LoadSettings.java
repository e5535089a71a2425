package dev.netmeta.load;

import dev.netmeta.model.Env;
import dev.netmeta.model.IndexNames;

/** The load function's configuration, read once from the environment (see docs/LOAD.md). */
public record LoadSettings(
        String indexPrefix,
        String rawPrefix,
        String rejectsPrefix,
        String reportsPrefix,
        int bulkMaxDocs,
        int bulkMaxBytes,
        int bulkConcurrency,
        int bulkMaxAttempts,
        long timeMarginMillis,
        int maxContinuations,
        long maxRejects,
        long maxRejectsBytes,
        RetentionDays retention) {

    /** LOAD_MAX_REJECTS when not set: far above the rejects of a file worth loading, far below a wrong file's. */
    public static final long DEFAULT_MAX_REJECTS = 100_000;
    /**
     * LOAD_MAX_REJECTS_BYTES when not set, 256 MiB: above 100,000 rejects lines of ordinary rows (about 110 MB even
     * under a 900-byte key), so the line budget stays what stops a wrong file of short rows, while a file of long
     * rejected rows (up to 1 Mi characters each, 6 bytes per control character in JSON) stops after a few hundred
     * MB instead of ~100 GB; 32 parts of 8 MiB, uploaded in seconds.
     */
    public static final long DEFAULT_MAX_REJECTS_BYTES = 256L * 1024 * 1024;
    /**
     * The least LOAD_MAX_REJECTS_BYTES may be, 8 MiB (one part of the rejects writer): above the largest rejects line
     * a reader makes, so the first reject always fits — a line keeps at most 1 Mi characters of the row (a CSV row
     * written again, a longer one cut to 1,024), JSON-escaped to at most 6 bytes each (6,291,456 + 2), the source
     * {@code s3://bucket/key} at most 6,213 (a 1,024-byte key, every byte a control character) and a reason of at
     * most a few hundred bytes: ~6.3 MB. An OpenSearch refusal's line holds the whole document instead, which can be
     * larger; such a first reject saves no rejects object, and the report says so.
     */
    public static final long MIN_REJECTS_BYTES = 8L * 1024 * 1024;
    /**
     * The most LOAD_MAX_REJECTS_BYTES may be: 10,000 parts (S3's limit of a multipart upload) of the rejects writer's
     * 8 MiB — a larger rejects object could not be saved anyway.
     */
    public static final long MAX_REJECTS_BYTES_LIMIT = 10_000L * 8 * 1024 * 1024;

    public static LoadSettings from(Env env) {
        return new LoadSettings(
                IndexNames.prefix(env),
                env.get("RAW_PREFIX", null),
                OutputKeys.requireValidPrefix("REJECTS_PREFIX", env.get("REJECTS_PREFIX", "rejects/")),
                OutputKeys.requireValidPrefix("REPORTS_PREFIX", env.get("REPORTS_PREFIX", "reports/")),
                positive(env, "BULK_MAX_DOCS", 5_000),
                positive(env, "BULK_MAX_BYTES", 5 * 1024 * 1024),
                positive(env, "BULK_CONCURRENCY", 2),
                positive(env, "BULK_MAX_ATTEMPTS", 8),
                timeMargin(env),
                positive(env, "LOAD_MAX_CONTINUATIONS", 100),
                maxRejects(env),
                maxRejectsBytes(env),
                RetentionDays.from(env));
    }

    /** LOAD_MAX_REJECTS_BYTES: the most bytes one file's rejects object may hold (across its continuations). */
    private static long maxRejectsBytes(Env env) {
        String name = "LOAD_MAX_REJECTS_BYTES";
        long value = env.getLong(name, DEFAULT_MAX_REJECTS_BYTES);
        if (value < MIN_REJECTS_BYTES || value > MAX_REJECTS_BYTES_LIMIT) {
            throw new IllegalArgumentException(name + " must be between " + MIN_REJECTS_BYTES + " (8 MiB: one rejects"
                    + " line of a row of 1 Mi characters takes up to ~6.3 MB) and " + MAX_REJECTS_BYTES_LIMIT
                    + " bytes (10,000 parts of 8 MiB, the most one rejects object can take), got " + value);
        }
        return value;
    }

    /**
     * LOAD_MAX_REJECTS: the most rejected records one file may have (across its continuations) before its load
     * stops and fails; {@code 0} or {@code off}: no limit (returned as 0).
     */
    private static long maxRejects(Env env) {
        String name = "LOAD_MAX_REJECTS";
        if ("off".equalsIgnoreCase(env.get(name, ""))) {
            return 0;
        }
        long value = env.getLong(name, DEFAULT_MAX_REJECTS);
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more (0 or off: no limit), got " + value);
        }
        return value;
    }

    /**
     * LOAD_TIME_MARGIN_MS: the time left at which reading stops. 0 or less was taken as it stood — reading went on to
     * the deadline, where Lambda ends the invocation before its report, rejects or continuation are saved, every retry
     * the same.
     */
    private static long timeMargin(Env env) {
        String name = "LOAD_TIME_MARGIN_MS";
        long value = env.getLong(name, 60_000);
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 millisecond (the time left at which reading"
                    + " stops, so that the report and the continuation are saved before the deadline; default 60000),"
                    + " got " + value);
        }
        return value;
    }

    private static int positive(Env env, String name, int fallback) {
        int value = env.getInt(name, fallback);
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
        return value;
    }

    /** Keys the load function must leave alone: its own output, and anything outside RAW_PREFIX when it is set. */
    public String ignoreReason(String key) {
        if (key.startsWith(rejectsPrefix) || key.startsWith(reportsPrefix)) {
            return "the key is under the rejects/reports prefix (the loader's own output)";
        }
        if (rawPrefix != null && !key.startsWith(rawPrefix)) {
            return "the key is outside RAW_PREFIX " + rawPrefix;
        }
        if (key.endsWith("/")) {
            return "the key is a folder marker";
        }
        return null;
    }
}
