package dev.netmeta.load;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import dev.netmeta.load.format.CountingInputStream;
import dev.netmeta.load.format.Decompression;
import dev.netmeta.load.format.MalformedFileException;
import dev.netmeta.load.format.RecordReader;
import dev.netmeta.load.format.RecordReaders;
import dev.netmeta.load.format.SourceRecord;
import dev.netmeta.load.index.BulkIndexer;
import dev.netmeta.load.index.IndexingFailedException;
import dev.netmeta.load.index.IndexingResult;
import dev.netmeta.load.index.IndexingSession;
import dev.netmeta.model.DocumentIds;
import dev.netmeta.model.IndexNames;
import java.io.EOFException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Loads S3 objects into OpenSearch: streams each object through gzip detection and the format reader, indexes
 * the documents under deterministic ids, writes the rejects and the report, and hands the rest of the file to a
 * continuation when the invocation's clock runs low.
 */
public final class LoadService {

    /**
     * The warning of a file that ends SUCCEEDED without a single record read. Not a failure: a source may write an
     * empty file, and the key's earlier versions go as for any new version (the bucket holds this one now).
     */
    static final String NO_RECORDS = "the file has no records (an empty file, an empty gzip, or a header without"
            + " rows): nothing was loaded, and documents of the key's earlier versions, if any, were removed as for"
            + " any new version (staleRemoved). An upload that failed, or a source that wrote nothing? If that is"
            + " expected, ignore this; if not, copy the complete file again at its source";

    private static final int CLOCK_CHECK_EVERY = PassLedger.BLOCK;

    private final LoadSettings settings;
    private final ObjectSource source;
    private final BulkIndexer indexer;
    private final RejectWriter rejects;
    private final ReportStore reports;
    private final ContinuationScheduler continuations;
    private final IndexTemplates templates;
    private final StaleDocuments stale;
    private final LoadLog log;
    private final Clock clock;

    public LoadService(LoadSettings settings, ObjectSource source, BulkIndexer indexer, RejectWriter rejects,
                       ReportStore reports, ContinuationScheduler continuations, IndexTemplates templates,
                       StaleDocuments stale, LoadLog log, Clock clock) {
        this.settings = settings;
        this.source = source;
        this.indexer = indexer;
        this.rejects = rejects;
        this.reports = reports;
        this.continuations = continuations;
        this.templates = templates;
        this.stale = stale;
        this.log = log;
        this.clock = clock;
    }

    /** Loads every object of an S3 notification; throws {@link LoadFailedException} if one failed retryably. */
    public List<LoadReport> load(S3Event event, Deadline deadline) {
        List<LoadReport> out = new ArrayList<>();
        List<String> retryable = new ArrayList<>();
        for (S3EventNotificationRecord record : event.getRecords()) {
            String bucket = record.getS3().getBucket().getName();
            String key = record.getS3().getObject().getUrlDecodedKey();
            String ignore = settings.ignoreReason(key);
            if (ignore != null) {
                log.ignored(bucket, key, ignore);
                continue;
            }
            FileProgress progress = FileProgress.fresh(bucket, key, clock.millis());
            Outcome outcome = run(progress, deadline);
            out.add(outcome.report);
            if (outcome.retryable) {
                retryable.add(progress.source() + ": " + outcome.report.error());
            }
        }
        if (!retryable.isEmpty()) {
            throw new LoadFailedException("load failed, to be retried: " + String.join("; ", retryable));
        }
        return out;
    }

    /** Carries on with a file an earlier invocation could not finish. */
    public LoadReport resume(LoadContinuation continuation, Deadline deadline) {
        if (continuation == null || continuation.getBucket() == null || continuation.getKey() == null) {
            throw new IllegalArgumentException("a load continuation needs a bucket and a key, got " + continuation);
        }
        FileProgress progress = FileProgress.from(continuation);
        Outcome outcome = run(progress, deadline);
        boolean restarted = outcome.replaced != null;
        if (restarted) {
            // The version the earlier invocations loaded is gone. While they ran, the new version may have been
            // loaded too: their documents then overwrote the new version's at the same ids (and their rejects
            // object the new version's). Loading the current version from the start repairs that, writes its
            // rejects and report, and removes what is left of the old version; without overlap it is one more
            // load of the same version, which changes nothing.
            log.restarted(continuation.getBucket(), continuation.getKey(), outcome.replaced);
            FileProgress current = FileProgress.fresh(continuation.getBucket(), continuation.getKey(), clock.millis());
            // the chain goes on and its invocations count on (run counts this one again), so LOAD_MAX_CONTINUATIONS
            // still ends a chain whose object is replaced before every continuation
            current.invocations = progress.invocations - 1;
            outcome = run(current, deadline);
        }
        if (outcome.retryable) {
            throw new LoadFailedException("load failed, to be retried: " + continuation
                    + (restarted ? " (its object was replaced: the current version was loaded from the start)" : "")
                    + ": " + outcome.report.error());
        }
        return outcome.report;
    }

    /** {@code replaced}: the pinned version could not be opened because the key holds another one (no report). */
    private record Outcome(LoadReport report, boolean retryable, String replaced) {

        Outcome(LoadReport report, boolean retryable) {
            this(report, retryable, null);
        }
    }

    /** Mutable facts of one invocation's pass over a file. */
    private static final class Pass {
        String format;
        long read;
        long rejected;
        long skipped;
        /** Records past the index retention (not indexed). */
        long expired;
        boolean outOfTime;
        String error;
        boolean retryable;
        Long failedAtByte;
        String rejectsObject;
        PassLedger ledger;
        String versionId;
        /** Documents of other versions of the key removed after this version was loaded; null: no cleanup ran. */
        Long staleRemoved;
        /** Why the pinned version could not be opened: the key holds another version now. Nothing was touched. */
        String replaced;
        /** The indexing session's result; set when the session finishes, also when reading ended in an exception. */
        IndexingResult indexed = new IndexingResult(0, 0, 0, null);
        /** A corrupt file whose checksum a continuation is to check ({@link #corrupt}); null: none. */
        Unverified unverified;
    }

    /**
     * The decoder found the data corrupt after records of this pass, and the time ran out before the rest was read to
     * compare the object's checksum: the file continues from the break with a fresh clock. {@code error}: its failure
     * for good when no continuation can, the break at {@code atByte}.
     */
    private record Unverified(String error, long atByte) {
    }

    private Outcome run(FileProgress progress, Deadline invocation) {
        progress.invocations++;
        Pass pass = new Pass();
        ObservedDeadline deadline = new ObservedDeadline(invocation);
        if (deadline.remainingMillis() < settings.timeMarginMillis()) {
            pass.outOfTime = true;
        } else {
            try {
                templates.ensureInstalled();
                read(progress, deadline, pass);
            } catch (RemoteCallFailedException e) {
                pass.error = e.getMessage() == null ? e.toString() : e.getMessage();
                pass.retryable = true;
            } catch (RuntimeException e) {
                // not S3 or OpenSearch: reading the same bytes again would fail the same way
                pass.error = "reading " + progress.source() + " failed after record " + progress.nextPosition + ": " + e;
            }
        }
        if (pass.replaced != null) {
            return new Outcome(null, false, pass.replaced);
        }
        return finish(progress, pass, pass.indexed, deadline);
    }

    /**
     * Opens the object first: when it is gone or replaced, the rejects object (which may be the new version's by
     * now) is not touched.
     */
    private void read(FileProgress progress, ObservedDeadline deadline, Pass pass) {
        pass.rejectsObject = rejects.location(progress.bucket, progress.key);
        SourceObject object;
        try {
            // a broken download is resumed only while reading time is left (the margin is for the report)
            object = source.open(progress.bucket, progress.key, progress.etag,
                    () -> deadline.remainingMillis() - settings.timeMarginMillis());
        } catch (ObjectGoneException e) {
            pass.error = e.getMessage();
            if (e.replaced()) {
                pass.replaced = e.getMessage();
            }
            return;
        } catch (IOException e) {
            pass.error = "reading s3://" + progress.bucket + "/" + progress.key + " failed: " + e;
            pass.retryable = true;
            return;
        }
        try (object) {
            ObjectVersion opened = object.version();
            if (progress.lastModified != 0 && !opened.sameAs(progress.version())) {
                // the If-Match held: the same content, copied again meanwhile — another version all the same, whose
                // records without a timestamp belong into another daily index
                pass.error = progress.source() + " was replaced by a copy of the same content (last modified "
                        + Instant.ofEpochMilli(opened.lastModifiedMillis()) + ") while it was loaded";
                pass.replaced = pass.error;
                return;
            }
            progress.lastModified = opened.lastModifiedMillis();
            readOpened(progress, deadline, pass, object);
        }
    }

    /** Reads the opened version from {@code progress.nextPosition} into a bulk session and the rejects object. */
    private void readOpened(FileProgress progress, ObservedDeadline deadline, Pass pass, SourceObject object) {
        long carryOverBelow = progress.rejected > 0 ? progress.nextPosition : 0;
        // the budgets count on from the rejects of the records before nextPosition, which the sink carries over (and
        // counts their bytes: the byte bound needs nothing in the continuation payload)
        RejectBudget rejectSink = new RejectBudget(
                rejects.open(progress.bucket, progress.key, carryOverBelow, settings.maxRejectsBytes()),
                settings.maxRejects(), settings.maxRejectsBytes(), progress.rejected, progress.firstReject);
        String origin = progress.source();
        boolean continuation = progress.invocations > 1; // a fresh clock of its own (corrupt)
        PassLedger ledger = new PassLedger(progress.nextPosition);
        pass.ledger = ledger;
        IndexingSession session = null;
        try {
            progress.etag = object.eTag();
            pass.versionId = object.versionId();
            // the session starts once the version is known: every document carries it as sourceVersion
            session = indexer.start(progress.key, sourceVersion(progress.etag), (position, line, document, reason) -> {
                rejectSink.write(new Reject(origin, line, position, document, reason));
                ledger.rejectedByIndex(position);
            }, deadline, settings.timeMarginMillis());
            CountingInputStream counted = new CountingInputStream(object.stream());
            try (RecordReader reader = RecordReaders.open(Decompression.open(counted))) {
                pass.format = reader.format();
                try {
                    long skipped = reader.skip(progress.nextPosition);
                    throwIfGaveUp(object);
                    if (skipped < progress.nextPosition) {
                        pass.error = "the object has " + skipped + " records, fewer than the " + progress.nextPosition
                                + " already loaded";
                    } else {
                        records(progress, deadline, pass, reader, session, rejectSink, object.lastModifiedMillis());
                        throwIfGaveUp(object);
                    }
                } finally {
                    progress.warn(reader.warnings()); // decided per header or on the first records: not per record
                }
            } catch (DownloadBrokenException e) {
                // broken and not resumed (its message says why): the same bytes can be read again
                pass.error = e.getMessage();
                pass.retryable = true;
            } catch (ObjectGoneException e) {
                // deleted or replaced before a broken download could be resumed: the retry of a replaced one loads
                // the current version (a continuation's retry finds the 412 and loads it from the start)
                pass.error = e.getMessage();
                pass.retryable = e.replaced();
            } catch (EOFException e) {
                if (object.size() > counted.count()) {
                    // the object is whole, the download was cut short: worth another try
                    pass.error = "the download of " + progress.source() + " ended after " + counted.count() + " of "
                            + object.size() + " bytes";
                    pass.retryable = true;
                } else {
                    corrupt(pass, object, "corrupt or truncated input after " + progress.nextPosition + " records: "
                            + detail(e), counted.count(), continuation);
                }
            } catch (ZipException e) {
                corrupt(pass, object, "corrupt or truncated input after " + progress.nextPosition + " records: "
                        + detail(e), counted.count(), continuation);
            } catch (MalformedFileException e) {
                corrupt(pass, object, "malformed " + (pass.format == null ? "input" : pass.format + " input")
                        + " after " + progress.nextPosition + " records, " + detail(e), counted.count(), continuation);
            }
        } catch (IOException e) {
            pass.error = "reading s3://" + progress.bucket + "/" + progress.key + " failed: " + e;
            pass.retryable = true;
        } catch (IndexingFailedException e) {
            // the session's result below says what failed
        } finally {
            if (session != null) {
                pass.indexed = session.finish(); // also when an exception leaves this method: the report counts it
            }
            if (rejectSink.exceeded()) {
                // a retry reads the same bytes and rejects the same records: final, not retryable by itself
                String over = rejectSink.error(pass.format, progress.nextPosition);
                pass.error = pass.error == null ? over : pass.error + "; " + over;
            }
            progress.firstReject = rejectSink.first();
            if (rejectSink.kept() == 0) {
                // not one line written (the first alone was over LOAD_MAX_REJECTS_BYTES): closing removes the
                // object, the report must not name it
                pass.rejectsObject = null;
            }
            try {
                rejectSink.close();
            } catch (IOException | RuntimeException e) {
                pass.error = "writing the rejects failed: " + e;
                pass.retryable = true;
            }
        }
    }

    /**
     * The decoder found the bytes corrupt: a failure for good ({@code failedAtByte} says where) when they are the
     * object's — its whole-object checksum matches once the rest is read (the error says so), or it has none to tell —
     * and a retryable one when they were damaged on the way (the checksum does not match: one ERROR line) or the rest
     * could not be read to tell (a break not resumed): the object in S3 may be whole, and a retry that reads it again
     * loses nothing. Either way the records read before the break stay indexed; a retry writes them again under the
     * same ids.
     * <p>Out of time before the rest was read: a retry would start where this pass started, decode about as long and
     * run out of time at about the same byte — every time, into the dead-letter queue without a final report. So the
     * file continues from the break ({@code nextPosition} is the record after the last one read) in a fresh invocation,
     * which skips to it without indexing and has its whole clock for the rest. When this pass is itself such a
     * continuation ({@code continuation}: a fresh clock of its own) and read no record before the break, another would
     * run out of time the same way: then, and when no continuation can run ({@link #finish}), the file fails for good
     * as a corrupt one, as before the check, the error saying that the checksum was not compared. A first invocation
     * that read nothing before the break may have shared its clock with the event's other files (or spent it on
     * resumes), so it hands the file on: its continuation has the whole clock.
     */
    private static void corrupt(Pass pass, SourceObject object, String error, long failedAtByte, boolean continuation) {
        try {
            String matched = object.verifyRest();
            pass.error = matched == null ? error
                    : error + "; the object's " + matched + " matches every byte read: the object itself is corrupt";
            pass.failedAtByte = failedAtByte;
        } catch (NoTimeToVerifyException e) {
            String unverified = error + "; " + e.getMessage();
            if (pass.read == 0 && continuation) {
                pass.error = unverified + "; this continuation began at the break with a clock of its own and read no"
                        + " record before it, so another would run out of time there too: failed as a corrupt object,"
                        + " unverified";
                pass.failedAtByte = failedAtByte;
            } else {
                pass.outOfTime = true;
                pass.unverified = new Unverified(unverified, failedAtByte);
            }
        } catch (ObjectGoneException e) {
            pass.error = error + "; " + e.getMessage();
            pass.retryable = e.replaced();
        } catch (IOException e) {
            pass.error = error + "; " + e.getMessage();
            pass.retryable = true;
        }
    }

    /**
     * The stream's failure when a reader swallowed it and came to an end that is none (a broken download between two
     * gzip members): the catch clauses of the read map it as if it had reached the reader ({@link SourceObject#failure}).
     */
    private static void throwIfGaveUp(SourceObject object) throws IOException {
        IOException failure = object.failure();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The exception's message for the report, or words for it when it has none: the JDK's gzip reader throws a
     * bare {@link EOFException} when the data ends inside a gzip header (a file of just {@code 1f 8b}), and
     * "…after 0 records: null" tells the user nothing.
     */
    static String detail(IOException e) {
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        if (e instanceof EOFException) {
            return "unexpected end of the compressed data";
        }
        if (e instanceof ZipException) {
            return "corrupt compressed data";
        }
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !cause.getMessage().isBlank()) {
            return cause.getMessage();
        }
        return "no detail given (" + e.getClass().getSimpleName() + ")";
    }

    private void records(FileProgress progress, ObservedDeadline deadline, Pass pass, RecordReader reader,
                         IndexingSession session, RejectBudget rejectSink, long lastModified) throws IOException {
        // the retention's cut-off as of this pass: a record of an earlier day is not indexed (the retention would
        // delete its index, which indexing would create again), only counted
        DailyIndex dailyIndex = new DailyIndex(settings.indexPrefix(), lastModified,
                settings.retention().oldestEpochDayKept(clock.millis()));
        String origin = progress.source();
        String idPrefix = DocumentIds.objectPrefix(progress.bucket, progress.key);
        long position = progress.nextPosition;
        try {
            while (true) {
                if (pass.read % CLOCK_CHECK_EVERY == 0) {
                    pass.ledger.checkpoint(pass.read, pass.read - pass.rejected - pass.skipped - pass.expired,
                            pass.rejected, pass.skipped, pass.expired);
                    // also when the session stopped sending (a backoff would have crossed M/2 while more than M was
                    // left, possible with M < 20 s): reading on would only hold the rest of the file in memory
                    if (deadline.check() < settings.timeMarginMillis() || session.outOfTime()) {
                        pass.outOfTime = true;
                        return;
                    }
                }
                SourceRecord r = reader.next();
                if (r == null) {
                    return;
                }
                switch (r.kind()) {
                    case DOCUMENT -> {
                        String index = dailyIndex.of(r.document());
                        if (index == null) {
                            pass.expired++;
                        } else {
                            session.add(index, DocumentIds.of(idPrefix, r.position()), r.position(), r.line(),
                                    r.document());
                        }
                    }
                    case REJECT -> {
                        rejectSink.write(new Reject(origin, r.line(), r.position(), r.raw(), r.reason()));
                        pass.rejected++;
                    }
                    case SKIP -> pass.skipped++;
                }
                // counted once handed on: a record the session or the rejects object refused (the pass fails) is
                // neither indexed, rejected nor unsettled, and the retry reads it again
                pass.read++;
                position = r.position() + 1;
                if (rejectSink.exceeded()) {
                    // LOAD_MAX_REJECTS or LOAD_MAX_REJECTS_BYTES (the reader's rejects or OpenSearch's): the records
                    // after are not read
                    return;
                }
            }
        } finally {
            progress.nextPosition = position;
        }
    }

    private Outcome finish(FileProgress progress, Pass pass, IndexingResult indexed, ObservedDeadline deadline) {
        if (indexed.resumeAt() != null && pass.error == null) {
            indexed = cutBack(progress, pass, indexed.resumeAt());
        }
        progress.rowsRead += pass.read;
        progress.indexed += indexed.indexed();
        progress.rejected += pass.rejected + indexed.rejected();
        progress.skipped += pass.skipped;
        progress.expired += pass.expired;
        if (progress.rejected == 0) {
            progress.firstReject = null; // its record is after a cut-back, read again by the continuation
        }
        LoadReport.Status status = LoadReport.Status.SUCCEEDED;
        String error = pass.error;
        boolean retryable = pass.retryable;
        if (indexed.failed()) {
            error = error == null ? indexed.failure() : error + "; " + indexed.failure();
            retryable = true;
        }
        if (indexed.unsettled() > 0) {
            retryable = true; // documents read but not indexed: a new attempt must not lose them
        }
        if (error != null) {
            status = LoadReport.Status.FAILED;
        } else if (pass.outOfTime) {
            error = continuationRefused(progress, pass);
            if (error == null) {
                // the CONTINUING report is saved before the continuation exists: a quick continuation's own (final)
                // report must never be overwritten by this one
                LoadReport continuing = report(progress, pass, indexed, LoadReport.Status.CONTINUING, null, null);
                try {
                    reports.save(continuing);
                } catch (RuntimeException e) {
                    // the continuation carries the file on and writes the next report
                }
                error = scheduleContinuation(progress, pass);
                if (error == null) {
                    log.report(continuing, false);
                    return new Outcome(continuing, false);
                }
            }
            status = LoadReport.Status.FAILED;
            retryable |= pass.retryable;
            if (pass.unverified != null) {
                // the continuation was to read the rest of a corrupt file with a fresh clock: without one, the failure
                // for good of before the check (a retry would run out of time at the same byte), unless the
                // continuation can be started by a retry (a throttled or failed Invoke)
                error = pass.unverified.error() + "; no continuation to read the rest with a fresh clock (" + error
                        + ")" + (retryable ? "" : ": failed as a corrupt object, unverified");
                if (!retryable) {
                    pass.failedAtByte = pass.unverified.atByte();
                }
            }
        } else if (indexed.unsettled() == 0) {
            // the whole file is in (all invocations): only now may the documents of the key's other versions go —
            // unless every record read was rejected (or skipped): such a file is a wrong one, not an empty one, and
            // must not take the previous version's documents with it. A retry reads the same bytes: final. Records
            // past the index retention (expired) were good records, as indexed ones are: such a file is an old one.
            error = progress.indexed == 0 && progress.expired == 0 && progress.rejected > 0
                    ? nothingIndexed(progress, pass.format)
                    : removeOtherVersions(progress, pass, deadline);
            if (error != null) {
                status = LoadReport.Status.FAILED;
                retryable |= pass.retryable;
            }
        }
        if (status == LoadReport.Status.FAILED && !retryable && progress.rowsRead > 0 && replacedMeanwhile(progress)) {
            // this version's documents may have overwritten the current version's at the same ids: the retry loads
            // the current version (a continuation's retry finds its object replaced and does the same)
            error += "; meanwhile the object was replaced by a new version, which a retry loads";
            retryable = true;
        }
        if (status == LoadReport.Status.SUCCEEDED && progress.rowsRead == 0) {
            // an empty object, an empty gzip, a header without rows: nothing to load, and usually an upload that failed
            progress.warn(List.of(NO_RECORDS));
        }
        // a failed report says whether this invocation fails for Lambda to retry it, as its log line does: a reader of
        // the reports (the local runner) can tell a final failure of any invocation, a continuation's too
        LoadReport report = report(progress, pass, indexed, status, error,
                status == LoadReport.Status.FAILED ? retryable : null);
        try {
            reports.save(report);
        } catch (RuntimeException e) {
            report = withError(report, "saving the report failed: " + e);
            retryable = true;
        }
        boolean retry = retryable && report.status() == LoadReport.Status.FAILED;
        log.report(report, retry);
        return new Outcome(report, retry);
    }

    private LoadReport report(FileProgress progress, Pass pass, IndexingResult indexed, LoadReport.Status status,
                              String error, Boolean retryable) {
        long now = clock.millis();
        boolean continuing = status == LoadReport.Status.CONTINUING;
        return new LoadReport(progress.bucket, progress.key, progress.etag, pass.versionId, status,
                pass.format, progress.rowsRead, progress.indexed, progress.rejected, progress.skipped,
                progress.expired == 0 ? null : progress.expired, indexed.unsettled(), pass.staleRemoved,
                Instant.ofEpochMilli(progress.startedAt).toString(),
                continuing ? null : Instant.ofEpochMilli(now).toString(),
                now - progress.startedAt, progress.invocations,
                continuing ? progress.nextPosition : null,
                pass.failedAtByte, progress.rejected > 0 ? pass.rejectsObject : null, error, retryable,
                progress.warnings);
    }

    /**
     * The time ran out before every document was settled: the pass is cut back to the last block start at or below
     * the lowest unsettled position, with the counts of the records before it (all settled), and the file
     * continues from there. Records after the cut are read again; their deterministic ids make the second
     * indexing harmless, and the continuation drops their rejects lines before writing them again.
     */
    private static IndexingResult cutBack(FileProgress progress, Pass pass, long lowestUnsettled) {
        PassLedger.Cut cut = pass.ledger.cutAt(lowestUnsettled);
        progress.nextPosition = cut.position();
        pass.read = cut.read();
        pass.rejected = cut.rejectedByReader();
        pass.skipped = cut.skipped();
        pass.expired = cut.expired();
        pass.outOfTime = true;
        return new IndexingResult(cut.documents() - cut.rejectedByIndex(), cut.rejectedByIndex(), 0, null);
    }

    /**
     * After a complete load: removes the key's documents of other versions (the object was replaced, or documents
     * from before {@code sourceVersion} existed). Returns an error message when the cleanup did not happen or did not
     * finish, with {@code pass.retryable} saying whether another attempt is worth it.
     * <p>The version loaded must still be the object's current one, before and after the cleanup: a load of an
     * older version that ends after a newer version was written must not remove the newer version's documents.
     * Replaced before: nothing is removed. Replaced during the cleanup: documents of the newer version that were
     * indexed meanwhile may have been removed. Either way the invocation fails retryably; the event's retry reads
     * the current object (a fresh load opens it without {@code If-Match}), indexes it again and cleans up for it.
     */
    private String removeOtherVersions(FileProgress progress, Pass pass, ObservedDeadline deadline) {
        String version = sourceVersion(progress.etag);
        if (version == null) {
            return null; // no version to keep (never with S3): removing would take everything
        }
        String replaced = "s3://" + progress.bucket + "/" + progress.key + " was replaced by a new version while "
                + "it was loaded; ";
        deadline.check();
        try {
            ObjectVersion before = source.currentVersion(progress.bucket, progress.key);
            if (before == null) {
                return "s3://" + progress.bucket + "/" + progress.key + " no longer exists: the documents of its other "
                        + "versions were not removed";
            }
            if (!before.sameAs(progress.version())) {
                pass.retryable = true;
                return replaced + "the documents of its other versions were not removed, a retry loads the current "
                        + "version";
            }
            try {
                // where this version's records without a timestamp are (DailyIndex): copies of the same content
                // loaded on another day left them in another daily index, with the same sourceVersion
                String withoutTimestamp = progress.lastModified == 0 ? null
                        : IndexNames.daily(settings.indexPrefix(), progress.lastModified);
                pass.staleRemoved = stale.removeOtherVersions(progress.bucket, progress.key, version,
                        withoutTimestamp, deadline, settings.timeMarginMillis());
            } catch (StaleDocuments.CleanupFailedException e) {
                pass.staleRemoved = e.removed();
                pass.retryable = true;
                return "removing the documents of other versions of " + progress.source() + " failed after "
                        + e.removed() + " documents: " + e.getMessage();
            }
            ObjectVersion after = source.currentVersion(progress.bucket, progress.key);
            if (!progress.version().sameAs(after)) {
                pass.retryable = after != null;
                return replaced + "documents of the new version indexed during the cleanup may have been removed"
                        + (after != null ? ", a retry loads the current version" : "; it no longer exists");
            }
            return null;
        } catch (IOException | RuntimeException e) {
            pass.retryable = true;
            return "removing the documents of other versions of " + progress.source() + " failed: " + e;
        }
    }

    /**
     * The error of a file read to its end (across its invocations) with records but not one indexed: every record
     * was rejected (by the reader or by OpenSearch), or rejected or skipped. A file without any record (header only,
     * empty) is not such a file: it still succeeds and removes the key's other versions.
     */
    static String nothingIndexed(FileProgress progress, String format) {
        String counts = progress.skipped == 0 ? "all " + progress.rejected + " rejected"
                : progress.rejected + " rejected, " + progress.skipped + " skipped";
        return "no row indexed, " + counts + (progress.firstReject == null ? "" : " (first: " + progress.firstReject
                + ")") + " — not a file of this format" + (format == null ? "" : " (" + format + ")")
                + ", or values the index maps otherwise? " + progress.rowsRead + " records read; the documents of the "
                + "key's other versions were not removed";
    }

    /** Whether the key holds another version than the one this file's invocations read (false when not known). */
    private boolean replacedMeanwhile(FileProgress progress) {
        try {
            ObjectVersion current = source.currentVersion(progress.bucket, progress.key);
            return current != null && !current.sameAs(progress.version());
        } catch (IOException | RuntimeException e) {
            return false; // the failure stands as it is
        }
    }

    /** The {@code sourceVersion} of an ETag: without the quotes S3 puts around it. */
    static String sourceVersion(String eTag) {
        if (eTag == null) {
            return null;
        }
        String v = eTag;
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        return v.isEmpty() ? null : v;
    }

    /** Why this file must not continue in another invocation, or null. */
    private String continuationRefused(FileProgress progress, Pass pass) {
        if (progress.invocations > settings.maxContinuations()) {
            return "gave up after " + progress.invocations + " invocations (LOAD_MAX_CONTINUATIONS)";
        }
        if (pass.read == 0 && (progress.nextPosition > 0 || progress.invocations > 1)) {
            // also a continuation stuck at record 0 (its first block never acknowledged): no loop to the last one
            return "no progress before the deadline: raise the function timeout or lower LOAD_TIME_MARGIN_MS";
        }
        return null;
    }

    /** Starts the continuation; returns why it could not be started, or null. */
    private String scheduleContinuation(FileProgress progress, Pass pass) {
        try {
            continuations.schedule(progress.toContinuation());
            return null;
        } catch (RuntimeException e) {
            // the Lambda Invoke failed (throttling, a 5xx, the network): another attempt is worth it
            pass.retryable = e instanceof RemoteCallFailedException;
            return "the time ran out and the continuation could not be scheduled: " + e.getMessage();
        }
    }

    /** A FAILED report with {@code error} added, retryable: the report could not be saved, another attempt saves it. */
    private static LoadReport withError(LoadReport r, String error) {
        return new LoadReport(r.bucket(), r.key(), r.eTag(), r.versionId(), LoadReport.Status.FAILED, r.format(),
                r.rowsRead(), r.indexed(), r.rejected(), r.skipped(), r.expired(), r.unsettled(), r.staleRemoved(),
                r.startedAt(),
                r.finishedAt(), r.durationMs(),
                r.invocations(), r.nextPosition(), r.failedAtByte(), r.rejectsObject(),
                r.error() == null ? error : r.error() + "; " + error, true, r.warnings());
    }
}
