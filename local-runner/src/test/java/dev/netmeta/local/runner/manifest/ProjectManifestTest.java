package dev.netmeta.local.runner.manifest;

import dev.netmeta.local.runner.invoke.LocalFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The project's own serverless.yml, read as the runner reads it: everything the local run relies on is there. */
class ProjectManifestTest {

    private static ServerlessManifest manifest;

    @BeforeAll
    static void read() {
        Path file = Path.of(System.getProperty("netmeta.projectRoot", "..")).resolve("serverless.yml").toAbsolutePath().normalize();
        // the manifest is part of the repository: not finding it is a broken checkout or a wrong netmeta.projectRoot
        assertThat(file).as("the project's serverless.yml, in the directory named by the system property "
                + "netmeta.projectRoot (default '..', the repository root seen from local-runner/)").isRegularFile();
        manifest = new ManifestReader("local", "us-east-1", Map.of()).read(file);
    }

    @Test
    void everyHandlerStringNamesAClassTheRunnerCanCall() {
        assertThat(manifest.functions()).containsKeys("sync", "load", "loadContinue", "api", "retention");
        manifest.functions().values().forEach(LocalFunction::checkHandler);
    }

    @Test
    void theEventsTheLocalRunDeliversAreDeclared() {
        ScheduleTrigger schedule = manifest.functions().get("sync").schedules().get(0);
        assertThat(schedule.rate()).isNotNull();
        S3Trigger s3 = manifest.functions().get("load").s3Triggers().get(0);
        assertThat(s3.onObjectCreated()).isTrue();
        assertThat(s3.bucket()).as("the bucket sync writes is the one whose objects start a load")
                .isEqualTo(manifest.functions().get("sync").environment().get("BUCKET").asText());
        String raw = manifest.functions().get("load").environment().get("RAW_PREFIX").asText();
        String reports = manifest.functions().get("load").environment().get("REPORTS_PREFIX").asText();
        String rejects = manifest.functions().get("load").environment().get("REJECTS_PREFIX").asText();
        assertThat(s3.matches(raw + "2018-05-09-metadata.csv.gz")).isTrue();
        assertThat(s3.matches(reports + raw + "2018-05-09-metadata.csv.gz.json")).as("reports never trigger a load").isFalse();
        assertThat(s3.matches(rejects + raw + "2018-05-09-metadata.csv.gz.ndjson")).as("nor do rejects").isFalse();
        assertThat(manifest.scheduled().orElseThrow().key()).as("the schedule --sync-rate and POST /_local/sync drive")
                .isEqualTo("sync");
        assertThat(manifest.scheduledFunctions()).extracting(FunctionDefinition::key)
                .as("every scheduled function runs locally on its own rate").containsExactly("sync", "retention");
        ScheduleTrigger retention = manifest.functions().get("retention").schedules().get(0);
        assertThat(retention.rate()).hasToString("rate(1 day)");
        assertThat(manifest.functions().get("retention").environment().get("INDEX_RETENTION_DAYS").asText())
                .isEqualTo("off");
        HttpRoute route = manifest.functions().get("api").httpRoutes().get(0);
        assertThat(route.method()).isEqualTo("GET");
        assertThat(route.resource()).isEqualTo("/metadata/search");
    }

    @Test
    void theContinuationNamesTheFunctionTheRunnerServes() {
        String target = manifest.functions().get("load").environment().get("CONTINUATION_FUNCTION_NAME").asText();
        assertThat(target).isEqualTo(manifest.functionName("loadContinue"));
    }
}
