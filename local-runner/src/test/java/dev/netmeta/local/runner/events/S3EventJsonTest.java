package dev.netmeta.local.runner.events;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class S3EventJsonTest {

    private static S3Event deserialize(String json) {
        return LambdaEventSerializers.serializerFor(S3Event.class, S3EventJsonTest.class.getClassLoader()).fromJson(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw/2018-05-09-metadata.csv.gz", "raw/my file (1).csv.gz", "raw/a+b=c&d.csv.gz",
            "raw/übersicht/€ report%20x.csv.gz", "raw/dir:with:colons/x.csv.gz", "raw/~tilde*star.csv.gz"})
    void keysRoundTripThroughTheRuntimeSerializer(String key) {
        String json = S3EventJson.objectCreated("us-east-1", "bucket", "cfg",
                new S3EventJson.NewObject(key, 1234, "\"abc123\"", Instant.parse("2018-05-09T10:00:00.123Z")), 7);
        S3EventNotification.S3ObjectEntity object = deserialize(json).getRecords().get(0).getS3().getObject();
        assertThat(object.getUrlDecodedKey()).isEqualTo(key);
    }

    @Test
    void encodesKeysTheWayS3Does() {
        assertThat(S3EventJson.encodeKey("raw/my file+1.csv.gz")).isEqualTo("raw/my+file%2B1.csv.gz");
        assertThat(S3EventJson.encodeKey("raw/a:b.gz")).isEqualTo("raw/a%3Ab.gz");
    }

    @Test
    void hasTheShapeS3Sends() throws Exception {
        String json = S3EventJson.objectCreated("eu-west-1", "netmeta-local", "load-notification",
                new S3EventJson.NewObject("raw/x y.csv.gz", 52_000, "\"d41d8cd98f00b204e9800998ecf8427e\"",
                        Instant.parse("2018-05-09T10:00:00Z")), 255);
        S3EventNotification.S3EventNotificationRecord record = deserialize(json).getRecords().get(0);
        assertThat(record.getEventSource()).isEqualTo("aws:s3");
        assertThat(record.getEventName()).isEqualTo("ObjectCreated:Put");
        assertThat(record.getAwsRegion()).isEqualTo("eu-west-1");
        assertThat(record.getEventTime().getMillis()).isEqualTo(Instant.parse("2018-05-09T10:00:00Z").toEpochMilli());
        assertThat(record.getS3().getBucket().getName()).isEqualTo("netmeta-local");
        assertThat(record.getS3().getBucket().getArn()).isEqualTo("arn:aws:s3:::netmeta-local");
        assertThat(record.getS3().getObject().getKey()).isEqualTo("raw/x+y.csv.gz");
        assertThat(record.getS3().getObject().getSizeAsLong()).isEqualTo(52_000L);
        assertThat(record.getS3().getObject().geteTag()).as("no quotes in events").isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(record.getS3().getObject().getSequencer()).isEqualTo("0000000000000000FF");
        JsonNode tree = Json.MAPPER.readTree(json);
        assertThat(tree.at("/Records/0/eventVersion").asText()).isEqualTo("2.1");
        assertThat(tree.at("/Records/0/s3/configurationId").asText()).isEqualTo("load-notification");
    }

    @Test
    void multipartObjectsComeFromCompleteMultipartUpload() {
        String json = S3EventJson.objectCreated("us-east-1", "b", "c",
                new S3EventJson.NewObject("raw/big.csv.gz", 1L << 30, "\"9b2cf535f27731c974343645a3985328-3\"", Instant.now()), 1);
        assertThat(deserialize(json).getRecords().get(0).getEventName()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
    }
}
