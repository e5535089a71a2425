package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsRegionTest {

    @Test
    void unsetOrBlankIsTheDefault() {
        assertThat(AwsRegion.of(Map.of())).isEqualTo("us-east-1");
        assertThat(AwsRegion.of(Map.of("AWS_REGION", ""))).as("AWS_REGION= in a shell").isEqualTo("us-east-1");
        assertThat(AwsRegion.of(Map.of("AWS_REGION", " \t"))).isEqualTo("us-east-1");
    }

    @Test
    void aSetRegionIsTakenTrimmed() {
        assertThat(AwsRegion.of(Map.of("AWS_REGION", "eu-central-1"))).isEqualTo("eu-central-1");
        assertThat(AwsRegion.of(Env.of(Map.of("AWS_REGION", " eu-west-1 ")))).isEqualTo("eu-west-1");
    }
}
