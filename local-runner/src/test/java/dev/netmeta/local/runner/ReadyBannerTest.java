package dev.netmeta.local.runner;

import dev.netmeta.local.runner.manifest.ManifestReader;
import dev.netmeta.local.runner.manifest.RateExpression;
import dev.netmeta.local.runner.manifest.ServerlessManifest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReadyBannerTest {

    private static ServerlessManifest projectManifest() {
        Path file = Path.of(System.getProperty("netmeta.projectRoot", "..")).resolve("serverless.yml").toAbsolutePath().normalize();
        return new ManifestReader("local", "us-east-1", Map.of()).read(file);
    }

    @Test
    void theFirstLineDescribesTheManifestsWiring() {
        assertThat(ReadyBanner.describe(projectManifest(), null))
                .isEqualTo("sync (schedule rate(2 hours)), load (s3 prefix 'raw/'), loadContinue, retention (schedule rate(1 day)),"
                        + " api (GET /metadata/search)");
    }

    @Test
    void aSyncRateGivenOnTheCommandLineIsTheScheduleShown() {
        assertThat(ReadyBanner.describe(projectManifest(), RateExpression.parse("rate(1 minute)")))
                .startsWith("sync (schedule rate(1 minute) (--sync-rate; manifest: rate(2 hours))), load (");
    }
}
