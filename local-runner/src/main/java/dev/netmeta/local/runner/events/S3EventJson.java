package dev.netmeta.local.runner.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

/**
 * The S3 event notification S3 sends to Lambda for a new object (event version 2.1): key URL-encoded the way S3
 * encodes it (space → {@code +}, {@code +} → {@code %2B}, {@code /} kept), size, eTag without quotes, and a
 * sequencer that grows with each event.
 */
public final class S3EventJson {

    private S3EventJson() {
    }

    public record NewObject(String key, long size, String eTag, Instant lastModified) {
    }

    public static String objectCreated(String region, String bucket, String configurationId, NewObject object, long sequence) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode record = root.putArray("Records").addObject();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", DateTimeFormatter.ISO_INSTANT.format(object.lastModified().truncatedTo(ChronoUnit.MILLIS)));
        String eTag = unquote(object.eTag());
        record.put("eventName", eTag.contains("-") ? "ObjectCreated:CompleteMultipartUpload" : "ObjectCreated:Put");
        record.putObject("userIdentity").put("principalId", "AWS:LOCALRUNNER");
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", Long.toHexString(sequence).toUpperCase(Locale.ROOT));
        response.put("x-amz-id-2", UUID.randomUUID().toString());
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId);
        ObjectNode b = s3.putObject("bucket");
        b.put("name", bucket);
        b.putObject("ownerIdentity").put("principalId", "LOCALRUNNER");
        b.put("arn", "arn:aws:s3:::" + bucket);
        ObjectNode o = s3.putObject("object");
        o.put("key", encodeKey(object.key()));
        o.put("size", object.size());
        o.put("eTag", eTag);
        o.put("sequencer", String.format(Locale.ROOT, "%018X", sequence));
        return root.toString();
    }

    /** Encodes a key as S3 does in event notifications (form encoding, slashes kept). */
    public static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    /** An ETag without its quotes ("" for none), as S3 puts it in an event notification. */
    public static String unquote(String eTag) {
        if (eTag == null) {
            return "";
        }
        return eTag.startsWith("\"") && eTag.endsWith("\"") && eTag.length() >= 2 ? eTag.substring(1, eTag.length() - 1) : eTag;
    }
}
