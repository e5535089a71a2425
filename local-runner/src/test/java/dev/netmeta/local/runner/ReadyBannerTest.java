package dev.netmeta.local.runner;

import dev.netmeta.local.runner.manifest.ManifestReader;
import dev.netmeta.local.runner.manifest.RateExpression;
import dev.netmeta.local.runner.manifest.ServerlessManifest;
import org.junit.jupiter.api.Test;

import dev.netmeta.load.RetentionDays;
import dev.netmeta.local.runner.samples.SampleData;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.time.LocalDate;
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

    /**
     * The samples' days are fixed (2018-05-09, one more day per four files): past a retention that runs at start the
     * ready line offers no search of them; within it, or without a retention, it does (null).
     */
    @Test
    void samplesPastTheRetentionAreSaidInsteadOfTheirSearch() {
        LocalDate today = LocalDate.of(2026, 11, 27);
        assertThat(ReadyBanner.samplesPastRetention(new RetentionDays(30), 4, today))
                .isEqualTo("no sample search to try: the sample data (2018-05-09) is past INDEX_RETENTION_DAYS=30,"
                        + " whose run at start deletes its index; load data of the last 30 days to search it");
        assertThat(ReadyBanner.samplesPastRetention(new RetentionDays(30), 9, today))
                .contains("the sample data (2018-05-09 to 2018-05-11) is past");
        assertThat(ReadyBanner.samplesPastRetention(new RetentionDays(30), 0, today)).as("no samples at this start:"
                + " those of an earlier one").contains("(2018-05-09)");
        assertThat(ReadyBanner.samplesPastRetention(null, 4, today)).as("no retention at start").isNull();
        long daysBack = java.time.temporal.ChronoUnit.DAYS.between(LocalDate.of(2018, 5, 9), today);
        assertThat(ReadyBanner.samplesPastRetention(new RetentionDays((int) daysBack), 4, today))
                .as("the samples' day is today - N: kept").isNull();
        assertThat(ReadyBanner.samplesPastRetention(new RetentionDays((int) daysBack - 1), 4, today))
                .as("one day before today - N: deleted").isNotNull();
        assertThat(ReadyBanner.samplesPastRetention(new RetentionDays((int) daysBack - 1), 5, today))
                .as("a fifth file's day, 2018-05-10, is kept").isNull();
    }

    /**
     * The offered search finds rows of the samples seeded: {@code host:google.com} only where a seeded file holds that
     * host (the flows file alone does not), else {@code *}; with no samples, {@code *} finds whatever the user loads.
     */
    @Test
    void theOfferedSearchIsOneTheSeededSamplesAnswer(@TempDir Path dir) throws IOException {
        for (int files = 1; files <= 4; files++) {
            Path root = Files.createDirectories(dir.resolve("samples-" + files));
            boolean holdsTheHost = false;
            for (Path file : SampleData.write(root, files)) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    holdsTheHost |= new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("google.com");
                }
            }
            assertThat(ReadyBanner.sampleQuery(files)).as(files + " sample files")
                    .isEqualTo(holdsTheHost ? "host:google.com" : "*");
        }
        assertThat(ReadyBanner.sampleQuery(0)).isEqualTo("*");
        assertThat(ReadyBanner.sampleQuery(1)).as("the flows file alone").isEqualTo("*");
    }
}
