package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiSettingsTest {

    @Test
    void defaults() {
        ApiSettings s = ApiSettings.from(Map.of("OPENSEARCH_URL", "https://search.example:443"));
        assertThat(s.auth()).isEqualTo("none");
        assertThat(s.indexAlias()).isEqualTo("metadata");
        assertThat(s.searchTimeoutMs()).isEqualTo(10_000);
        assertThat(s.maxQueryLength()).isEqualTo(4096);
        assertThat(s.corsAllowOrigin()).isNull();
    }

    @Test
    void aBlankRegionIsTheDefaultRegion() {
        assertThat(ApiSettings.from(Map.of("OPENSEARCH_URL", "https://search.example:443", "AWS_REGION", " "))
                .region()).as("AWS_REGION= in a shell").isEqualTo("us-east-1");
        assertThat(ApiSettings.from(Map.of("OPENSEARCH_URL", "https://search.example:443", "AWS_REGION", "eu-west-1"))
                .region()).isEqualTo("eu-west-1");
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> ApiSettings.from(Map.of())).hasMessageContaining("OPENSEARCH_URL");
        assertThatThrownBy(() -> ApiSettings.from(Map.of("OPENSEARCH_URL", "x", "OPENSEARCH_AUTH", "none")))
                .hasMessageContaining("OPENSEARCH_URL");
        assertThatThrownBy(() -> ApiSettings.from(Map.of("OPENSEARCH_URL", "http://h", "SEARCH_TIMEOUT_MS", "12000")))
                .hasMessageContaining("SEARCH_TIMEOUT_MS must be between 100 and 11000");
        assertThatThrownBy(() -> ApiSettings.from(Map.of("OPENSEARCH_URL", "http://h", "OPENSEARCH_AUTH", "basic")))
                .hasMessageContaining("OPENSEARCH_USERNAME");
        assertThatThrownBy(() -> ApiSettings.from(Map.of("OPENSEARCH_URL", "http://h", "OPENSEARCH_AUTH", "sigv4",
                "OPENSEARCH_SIGV4_SERVICE", "s3"))).hasMessageContaining("es or aoss");
    }

    @Test
    void passwordNeverAppearsInToString() {
        ApiSettings s = ApiSettings.from(Map.of("OPENSEARCH_URL", "http://user:pw@h:9200", "OPENSEARCH_AUTH", "basic",
                "OPENSEARCH_USERNAME", "u", "OPENSEARCH_PASSWORD", "hunter2"));
        assertThat(s.toString()).doesNotContain("hunter2").doesNotContain("pw");
    }
}
