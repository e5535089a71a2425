package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyFileRequestTest {

    @Test
    void scheduleTickIsNotACopyRequest() {
        ScheduledEvent tick = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");
        assertThat(CopyFileRequest.from(tick.getDetailType(), tick.getDetail())).isEmpty();
    }

    @Test
    void copyFileEventIsReadFromTheScheduledEventShape() {
        ScheduledEvent e = EventLoader.loadScheduledEvent("events/sync_copy_file.json");
        CopyFileRequest r = CopyFileRequest.from(e.getDetailType(), e.getDetail()).orElseThrow();
        assertThat(r.path()).isEqualTo("2018/05/2018-05-09-metadata.csv.gz");
        assertThat(r.size()).isEqualTo(73_400_320L);
        assertThat(r.modified()).isEqualTo(Instant.parse("2018-05-09T14:00:00Z"));
    }

    @Test
    void payloadRoundTripsThroughTheLambdaEventSerializer(@TempDir Path dir) throws Exception {
        CopyFileRequest original = new CopyFileRequest("a b/ü.csv.gz", 5_000_000_000L, Instant.parse("2026-11-26T10:15:30.123Z"));
        Path file = dir.resolve("payload.json");
        Files.writeString(file, original.toPayloadJson(), StandardCharsets.UTF_8);
        ScheduledEvent e = EventLoader.loadScheduledEvent(file.toString());
        assertThat(e.getSource()).isEqualTo("netmeta.sync");
        assertThat(CopyFileRequest.from(e.getDetailType(), e.getDetail())).contains(original);
    }

    @Test
    void pathsOutsideTheRemoteDirectoryAreRefused() {
        for (String bad : new String[] {"/etc/passwd", "../x.csv.gz", "a/../../x.csv.gz", "a//b.csv.gz", "a\\b.csv.gz", ""}) {
            assertThatThrownBy(() -> CopyFileRequest.from(CopyFileRequest.DETAIL_TYPE,
                    Map.of("path", bad, "size", 1, "modified", "2026-01-01T00:00:00Z")))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void missingFieldsAreNamed() {
        assertThatThrownBy(() -> CopyFileRequest.from(CopyFileRequest.DETAIL_TYPE, Map.of("path", "a.csv.gz", "modified", "x")))
                .hasMessageContaining("size");
        assertThatThrownBy(() -> CopyFileRequest.from(CopyFileRequest.DETAIL_TYPE, Map.of("path", "a.csv.gz", "size", 3)))
                .hasMessageContaining("modified");
    }
}
