package dev.netmeta.load;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** In-memory stand-ins for the S3 and Lambda ports, for LoadService unit tests (the ITs use the real servers). */
final class InMemoryPorts implements ObjectSource, RejectWriter, ReportStore, ContinuationScheduler {

    final Map<String, byte[]> objects = new HashMap<>();
    /** Last-modified time of an object (absent: 2018-05-09T14:30:21Z): a copy of the same bytes changes it. */
    final Map<String, Long> lastModified = new java.util.concurrent.ConcurrentHashMap<>();
    /** Bytes a download delivers before the connection drops (absent: all of them). */
    final Map<String, Integer> cutAfter = new HashMap<>();
    /** Objects whose download delivers one byte per read, with nothing available in between (a slow network). */
    final java.util.Set<String> trickle = new java.util.HashSet<>();
    /** What a cut download throws at its cut instead of ending there (a resuming stream's failure). */
    final Map<String, IOException> breakWith = new HashMap<>();
    /** The reading time the loader gave each open, as it was at the open. */
    final List<Long> readingTimeAtOpen = Collections.synchronizedList(new ArrayList<>());
    final Map<String, List<Reject>> rejects = new HashMap<>();
    final List<LoadReport> reports = Collections.synchronizedList(new ArrayList<>());
    final List<LoadContinuation> continuations = new ArrayList<>();
    /** When set, writing a reject fails as an S3 call would (the rejects object cannot be written). */
    volatile boolean rejectsUnwritable;
    /** Runs after each reject is written (e.g. a new version is written meanwhile). */
    volatile java.util.function.Consumer<Reject> rejectWritten = r -> { };

    static S3Event event(String bucket, String... keys) {
        List<S3EventNotification.S3EventNotificationRecord> records = new ArrayList<>();
        for (String key : keys) {
            records.add(new S3EventNotification.S3EventNotificationRecord("us-east-1", "ObjectCreated:Put", "aws:s3",
                    "2018-05-09T14:30:21.000Z", "2.1", null, null,
                    new S3EventNotification.S3Entity("cfg", new S3EventNotification.S3BucketEntity(bucket, null,
                            "arn:aws:s3:::" + bucket), new S3EventNotification.S3ObjectEntity(key, 1L, "etag", null, "0"),
                            "1.0"), null));
        }
        return new S3Event(records);
    }

    @Override
    public SourceObject open(String bucket, String key, String eTag, Deadline readingTime) throws IOException {
        readingTimeAtOpen.add(readingTime.remainingMillis());
        return open(bucket, key, eTag);
    }

    /** The object as {@link #open(String, String, String, Deadline)} opens it, without recording a reading time. */
    SourceObject open(String bucket, String key, String eTag) throws IOException {
        byte[] bytes = objects.get(bucket + "/" + key);
        if (bytes == null) {
            throw new ObjectGoneException("s3://" + bucket + "/" + key + " no longer exists");
        }
        String version = "v" + bytes.length;
        if (eTag != null && !eTag.equals(version)) {
            throw new ObjectGoneException("s3://" + bucket + "/" + key + " was replaced by a new version while it was"
                    + " loaded", true);
        }
        InputStream whole = new ByteArrayInputStream(bytes, 0, cutAfter.getOrDefault(bucket + "/" + key, bytes.length));
        InputStream cut = !trickle.contains(bucket + "/" + key) ? whole : new java.io.FilterInputStream(whole) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }

            @Override
            public int available() {
                return 0; // as a network stream between two packets
            }
        };
        IOException broken = breakWith.get(bucket + "/" + key);
        IOException[] thrown = {null}; // as a resuming stream keeps what it gave up with
        InputStream in = broken == null ? cut : new SequenceInputStream(cut, new InputStream() {
            @Override
            public int read() throws IOException {
                thrown[0] = broken;
                throw broken;
            }
        });
        long modified = lastModifiedOf(bucket, key);
        return new SourceObject() {
            @Override
            public InputStream stream() {
                return in;
            }

            @Override
            public String eTag() {
                return version;
            }

            @Override
            public long lastModifiedMillis() {
                return modified;
            }

            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public IOException failure() {
                return thrown[0];
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public ObjectVersion currentVersion(String bucket, String key) {
        byte[] bytes = objects.get(bucket + "/" + key);
        return bytes == null ? null : new ObjectVersion("v" + bytes.length, lastModifiedOf(bucket, key));
    }

    private long lastModifiedOf(String bucket, String key) {
        return lastModified.getOrDefault(bucket + "/" + key, 1_525_876_221_000L);
    }

    @Override
    public String location(String bucket, String key) {
        return "mem://" + key;
    }

    /** The bytes of a file's rejects as the S3 writer stores them ({@link RejectLine}). */
    long rejectsBytes(String key) {
        return rejects.getOrDefault(key, List.of()).stream().mapToLong(r -> RejectLine.encode(r).length).sum();
    }

    @Override
    public RejectSink open(String bucket, String key, long carryOverBelow, long maxBytes) {
        List<Reject> out = new ArrayList<>(rejects.getOrDefault(key, List.of()).stream()
                .filter(r -> r.position() < carryOverBelow).toList());
        long carried = out.stream().mapToLong(r -> RejectLine.encode(r).length).sum();
        return new RejectSink() {
            long size = carried;
            boolean full;

            @Override
            public synchronized boolean write(Reject reject) {
                if (rejectsUnwritable) {
                    throw new RemoteCallFailedException("writing the rejects object failed (test)", null);
                }
                int length = RejectLine.encode(reject).length;
                if (full || length > maxBytes - size) {
                    full = true;
                    return false;
                }
                size += length;
                out.add(reject);
                rejectWritten.accept(reject);
                return true;
            }

            @Override
            public void close() {
                if (out.isEmpty()) {
                    rejects.remove(key); // as S3RejectWriter: nothing written removes the object
                } else {
                    rejects.put(key, out);
                }
            }
        };
    }

    @Override
    public String save(LoadReport report) {
        reports.add(report);
        return "mem://" + report.key();
    }

    @Override
    public void schedule(LoadContinuation continuation) {
        continuations.add(continuation);
    }
}
