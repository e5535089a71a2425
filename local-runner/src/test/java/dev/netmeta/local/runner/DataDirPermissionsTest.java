package dev.netmeta.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory holds everything the runner keeps — the bucket's raw logs, the index, the delivery state, the
 * function logs — which may be real network metadata. Created with the process umask (typically 022) it was readable
 * by every user of the machine. A data directory the runner creates is private to its user (rwx------); one that
 * already exists is left as it is.
 */
class DataDirPermissionsTest {

    @TempDir
    Path dir;

    @Test
    void aDataDirectoryTheRunnerCreatesIsPrivate() throws Exception {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path data = dir.resolve("netmeta-data");
        Path ftpRoot = dir.resolve("drop").resolve("ftp");
        RunnerOptions options = RunnerOptions.parse(new String[]{"--data-dir", data.toString(), "--port", "0",
                "--ftp-root", ftpRoot.toString(), "--manifest", brokenManifest().toString()}, Map.of());

        assertThatThrownBy(() -> LocalPipeline.start(options, new PipelineConsole().stream(), Map.of()))
                .as("the start fails at the manifest, after creating the data directory").isInstanceOf(Exception.class);

        assertThat(Files.isDirectory(data)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ftpRoot)))
                .as("an --ftp-root it creates holds the same raw logs: private too").isEqualTo("rwx------");
    }

    /** A manifest that exists (--manifest is checked for that) but does not parse, so the start fails there. */
    private Path brokenManifest() throws java.io.IOException {
        return Files.writeString(dir.resolve("serverless.yml"), "functions: [\n");
    }

    @Test
    void aDataDirectoryThatIsAFileIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

        assertThatThrownBy(() -> LocalPipeline.createPrivateDirectory(file))
                .hasMessageContaining("is a file, not a directory").hasMessageContaining("--data-dir");
    }
}
