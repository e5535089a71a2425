package dev.netmeta.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The outcome of loading one file, saved next to it ({@code <REPORTS_PREFIX><key>.json}) and logged as one JSON
 * line. Counts cover the whole file across continuations. {@code rowsRead = indexed + rejected + skipped + unsettled}
 * once the file is done ({@code + expired} with an index retention); {@code failedAtByte} is the offset in the stored (compressed) object where reading broke.
 * {@code eTag} (as S3 gives it, quoted) and {@code versionId} (versioned buckets) name the object version the report
 * is about, so a consumer can tell a report of an older version from the current one. {@code staleRemoved} is the
 * number of documents the cleanup removed once this version was loaded completely: those of other versions of the
 * key (earlier contents of a replaced object), and this version's records without a timestamp outside the daily
 * index of its last-modified day (left by a copy of the same content made on another day); absent when no cleanup
 * ran (a continuing or failed load), present on a failed one when the cleanup itself failed. {@code retryable}, on a
 * failed report only, says what happens next, as the {@code "load failed"} log line does: {@code true} when the
 * invocation fails because of it (Lambda retries it), {@code false} when the failure is final for this file (the
 * invocation returns normally: the same bytes, with the same settings, would fail the same way); absent on other
 * reports, and on the reports of loaders from before it existed.
 * {@code expired}, only with {@code INDEX_RETENTION_DAYS} set and only when there are any, counts the records whose
 * day is already past the retention (today − N, UTC): not indexed — the retention would delete their daily index, and
 * indexing them would only create it again — and neither rejected nor a failure; absent otherwise (null here).
 * {@code warnings} says what the file's shape tells is wrong with it although it loaded (a tab-separated file read as
 * CSV, no column that is a canonical field, so no record has a timestamp…), each once across continuations; it does
 * not change the status, and is absent from the JSON when there is none (never null here).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadReport(
        String bucket,
        String key,
        @JsonProperty("eTag") String eTag,
        @JsonProperty("versionId") String versionId,
        Status status,
        String format,
        long rowsRead,
        long indexed,
        long rejected,
        long skipped,
        Long expired,
        long unsettled,
        Long staleRemoved,
        String startedAt,
        String finishedAt,
        long durationMs,
        int invocations,
        Long nextPosition,
        Long failedAtByte,
        String rejectsObject,
        String error,
        Boolean retryable,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {

    public LoadReport {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A report without expired records (no retention, or none past it). */
    public LoadReport(String bucket, String key, String eTag, String versionId, Status status, String format,
                      long rowsRead, long indexed, long rejected, long skipped, long unsettled, Long staleRemoved,
                      String startedAt, String finishedAt, long durationMs, int invocations, Long nextPosition,
                      Long failedAtByte, String rejectsObject, String error, Boolean retryable, List<String> warnings) {
        this(bucket, key, eTag, versionId, status, format, rowsRead, indexed, rejected, skipped, null, unsettled,
                staleRemoved, startedAt, finishedAt, durationMs, invocations, nextPosition, failedAtByte,
                rejectsObject, error, retryable, warnings);
    }

    /** A report without {@code retryable} and without warnings (a continuing or succeeded load's). */
    public LoadReport(String bucket, String key, String eTag, String versionId, Status status, String format,
                      long rowsRead, long indexed, long rejected, long skipped, long unsettled, Long staleRemoved,
                      String startedAt, String finishedAt, long durationMs, int invocations, Long nextPosition,
                      Long failedAtByte, String rejectsObject, String error) {
        this(bucket, key, eTag, versionId, status, format, rowsRead, indexed, rejected, skipped, null, unsettled,
                staleRemoved, startedAt, finishedAt, durationMs, invocations, nextPosition, failedAtByte,
                rejectsObject, error, null, List.of());
    }

    public enum Status {
        /** Every record is indexed, rejected (see the rejects object) or skipped. */
        SUCCEEDED,
        /** The time ran out; a continuation carries on from {@code nextPosition}. */
        CONTINUING,
        /** The file could not be finished; {@code error} says why. */
        FAILED
    }
}
