package dev.netmeta.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that fails prints why, not a run summary of a run that never began. */
class FailedStartTest {

    @TempDir
    Path dir;

    @Test
    void aStartThatFailsPrintsNoStoppedAfterSummary() throws Exception {
        PipelineConsole console = new PipelineConsole();
        RunnerOptions options = RunnerOptions.parse(new String[]{"--data-dir", dir.toString(), "--port", "0"}, Map.of());
        try (DataDirLock held = DataDirLock.acquire(dir)) {
            assertThatThrownBy(() -> LocalPipeline.start(options, console.stream(), Map.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another local runner");
        }
        assertThat(console.text()).doesNotContain("stopped after");
    }

    @Test
    void aDataDirectoryThatIsAFileIsNamedInWordsWithoutTheExceptionsClass() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("data"), "not a directory");
        RunnerOptions options = RunnerOptions.parse(new String[]{"--data-dir", file.toString(), "--port", "0"}, Map.of());
        assertThatThrownBy(() -> LocalPipeline.start(options, new PipelineConsole().stream(), Map.of()))
                .hasMessage("the data directory " + file + " is a file, not a directory; give --data-dir a directory"
                        + " (it is created when missing)");
    }
}
