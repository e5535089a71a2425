package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code AWS_REGION} set but blank ({@code AWS_REGION=} in a local shell) is unset, as in the other functions. */
class SyncRegionTest {

    private static final Map<String, String> LOCAL_S3 = Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9",
            "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local-secret");

    @Test
    void aBlankRegionIsTheDefaultRegion() {
        for (String blank : new String[] {"", " ", "\t"}) {
            Map<String, String> env = new HashMap<>(LOCAL_S3);
            env.put("AWS_REGION", blank);
            // before: Region.of("") — the SDK's "region must not be blank or empty" at init
            try (S3Client s3 = SyncFactory.s3Client(env)) {
                assertThat(s3.serviceClientConfiguration().region()).as("'%s'", blank).isEqualTo(Region.US_EAST_1);
            }
        }
    }

    @Test
    void aSetRegionIsUsedAndAnUnsetOneIsTheDefault() {
        assertThat(SyncFactory.region(Map.of("AWS_REGION", "eu-central-1"))).isEqualTo(Region.EU_CENTRAL_1);
        assertThat(SyncFactory.region(Map.of())).isEqualTo(Region.US_EAST_1);
    }
}
