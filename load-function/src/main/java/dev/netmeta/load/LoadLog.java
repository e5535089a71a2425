package dev.netmeta.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** One JSON line per event worth knowing (the load summary, its warnings, ignored keys) on stdout. */
public final class LoadLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> REPORT_FIELDS = new TypeReference<>() {
    };

    private final PrintStream out;

    public LoadLog(PrintStream out) {
        this.out = out;
    }

    /**
     * The report as one line, {@code "message":"load succeeded|continuing|failed"} and the report's fields. A
     * {@code FAILED} line also says whether the invocation fails because of it ({@code "retryable":true}: Lambda
     * retries the event, and after its retries parks it in the dead-letter queue) or the failure is final for this
     * file ({@code "retryable":false}: the same bytes would fail the same way, the invocation returns normally and
     * nothing reaches the dead-letter queue). The deployed alarm on final failures is a CloudWatch Logs metric filter
     * on exactly these fields (serverless.yml, LoadFailedMetricFilter). The saved report of a failed load has the same
     * {@code retryable} ({@link LoadReport#retryable()}); this line says {@code retryable} as given here. A report that
     * ends the file's load (not CONTINUING, not a failure Lambda retries) with {@code warnings} is followed by a
     * {@code "load warning"} line.
     */
    public void report(LoadReport report, boolean retryable) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("message", "load " + report.status().name().toLowerCase());
        if (report.status() == LoadReport.Status.FAILED) {
            line.put("retryable", retryable);
        }
        JSON.convertValue(report, REPORT_FIELDS).forEach(line::putIfAbsent);
        print(line);
        if (!report.warnings().isEmpty() && report.status() != LoadReport.Status.CONTINUING && !retryable) {
            warning(report);
        }
    }

    /**
     * A file whose load ended (not to be retried) with warnings about its shape: {@code "level":"WARN"},
     * {@code "message":"load warning"}, the file and its {@code warnings} — once per load of the file, so a
     * CloudWatch Logs metric filter can count the files that loaded as junk (serverless.yml, LoadWarningMetricFilter:
     * the SUCCEEDED ones; a FAILED one is counted by the load-failed alarm already).
     */
    private void warning(LoadReport report) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", "WARN");
        line.put("message", "load warning");
        line.put("bucket", report.bucket());
        line.put("key", report.key());
        line.put("eTag", report.eTag());
        line.put("status", report.status().name());
        line.put("format", report.format());
        line.put("warnings", report.warnings());
        print(line);
    }

    void ignored(String bucket, String key, String reason) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("message", "load ignored");
        line.put("bucket", bucket);
        line.put("key", key);
        line.put("reason", reason);
        print(line);
    }

    /**
     * The object's download broke and goes on from where it broke (a ranged GetObject of the same version): one line
     * per resume, {@code "level":"WARN"}, {@code "message":"load download resumed"}, the byte it goes on from, the
     * object's size, the how-manieth resume of this download it is and what broke it. Not a warning of the report:
     * the file loads whole, and the {@code load-warnings} alarm counts files that load as junk. The
     * {@code load-download-resumes} alarm counts these lines per hour (serverless.yml, LoadDownloadResumedMetricFilter:
     * {@code $.message}); a few are normal.
     */
    public void downloadResumed(String bucket, String key, String eTag, long atByte, long size, int resume,
                                String reason) {
        Map<String, Object> line = downloadLine("WARN", "load download resumed", bucket, key, eTag);
        line.put("atByte", atByte);
        line.put("size", size);
        line.put("resume", resume);
        line.put("reason", reason);
        print(line);
    }

    /**
     * The bytes of the object's download, resumed or not, do not match the whole object's checksum S3 gave with the
     * first answer: {@code "level":"ERROR"}, {@code "message":"load download checksum mismatch"}, the algorithm, the
     * value S3 gave and the value of the bytes read, the object's size and how often the download was resumed. The
     * load fails retryably (its report says so too) and its retry reads the object again. The
     * {@code load-checksum-mismatches} alarm counts these lines per hour (serverless.yml,
     * LoadChecksumMismatchMetricFilter: renaming the message silences it).
     */
    public void downloadChecksumMismatch(String bucket, String key, String eTag, String algorithm, String expected,
                                         String actual, long size, int resumes) {
        Map<String, Object> line = downloadLine("ERROR", "load download checksum mismatch", bucket, key, eTag);
        line.put("algorithm", algorithm);
        line.put("expected", expected);
        line.put("actual", actual);
        line.put("size", size);
        line.put("resumes", resumes);
        print(line);
    }

    /** The start of a line about one object's download: level, message and the object (bucket, key, ETag), in order. */
    private static Map<String, Object> downloadLine(String level, String message, String bucket, String key,
                                                    String eTag) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("message", message);
        line.put("bucket", bucket);
        line.put("key", key);
        line.put("eTag", eTag);
        return line;
    }

    /** A continuation found its object replaced and loads the current version from the start instead. */
    void restarted(String bucket, String key, String reason) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("message", "load restarted");
        line.put("bucket", bucket);
        line.put("key", key);
        line.put("reason", reason + "; loading the current version from the start");
        print(line);
    }

    private void print(Map<String, Object> line) {
        try {
            out.println(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            out.println("{\"message\":\"load log failed\"}");
        }
    }
}
