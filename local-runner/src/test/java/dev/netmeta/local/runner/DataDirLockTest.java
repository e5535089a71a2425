package dev.netmeta.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondRunnerOnTheSameDataDirectoryIsRefusedWithTheHoldersProcessId() throws Exception {
        try (DataDirLock first = DataDirLock.acquire(dir)) {
            assertThatThrownBy(() -> DataDirLock.acquire(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another local runner")
                    .hasMessageContaining("process " + ProcessHandle.current().pid())
                    .hasMessageContaining("--data-dir");
        }
        try (DataDirLock again = DataDirLock.acquire(dir)) {
            assertThat(again).as("released by the first runner's close").isNotNull();
        }
    }
}
