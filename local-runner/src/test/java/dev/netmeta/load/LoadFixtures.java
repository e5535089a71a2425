package dev.netmeta.load;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Input files and events for the load ITs. */
final class LoadFixtures {

    /** The bucket and key of {@code events/s3_put.json}. */
    static final String FIXTURE_BUCKET = "metadata-sync-files";
    static final String FIXTURE_KEY = "2018-05-09-metadata.csv.gz";

    private LoadFixtures() {
    }

    static S3Event fixtureEvent() {
        return EventLoader.loadS3Event("events/s3_put.json");
    }

    /** The fixture's notification, pointed at another object (keys arrive URL-encoded, as S3 sends them). */
    static S3Event event(String bucket, String key) {
        S3EventNotification.S3EventNotificationRecord fixture = fixtureEvent().getRecords().get(0);
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
        return new S3Event(List.of(new S3EventNotification.S3EventNotificationRecord(fixture.getAwsRegion(),
                fixture.getEventName(), fixture.getEventSource(), fixture.getEventTime().toString(),
                fixture.getEventVersion(), null, null,
                new S3EventNotification.S3Entity("test", new S3EventNotification.S3BucketEntity(bucket, null,
                        "arn:aws:s3:::" + bucket), new S3EventNotification.S3ObjectEntity(encoded, 1L, null, null,
                        "0"), "1.0"), null)));
    }

    /**
     * A flow CSV of {@code rows} records: record i has srcIp 10.0.(i/250%250).(i%250), dstPort 53 or 443, and host
     * google.com for every 10th record (example.org otherwise); record 0 is the 127.0.0.1 → google.com row of the talk.
     */
    static String flowsCsv(int rows) {
        StringBuilder sb = new StringBuilder("Timestamp,Src IP,Src Port,Dst IP,Dst Port,Protocol,host,orig_bytes,Label\r\n");
        for (int i = 0; i < rows; i++) {
            String src = i == 0 ? "127.0.0.1" : "10.0." + (i / 250 % 250) + "." + (i % 250);
            sb.append("2018-05-09T14:").append(String.format("%02d:%02d", i / 60 % 60, i % 60)).append('Z').append(',')
                    .append(src).append(',').append(40_000 + i % 20_000).append(',')
                    .append(i % 7 == 0 ? "2001:db8::53" : "8.8.8.8").append(',').append(i % 2 == 0 ? 53 : 443).append(',')
                    .append(i % 2 == 0 ? 17 : 6).append(',').append(i % 10 == 0 ? "google.com" : "example.org").append(',')
                    .append(i * 10).append(',').append(i % 5 == 0 ? "\"scan, slow\"" : "BENIGN").append("\r\n");
        }
        return sb.toString();
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
