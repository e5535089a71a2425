package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.local.testing.FtpEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/** The sync runs in its own JVM with {@code -Xmx128m} and copies a file several times larger than that heap. */
@ExtendWith(TestServers.class)
class SyncSmallHeapIT {

    private static final long MIB = 1024 * 1024;

    @Test
    void fileOfSeveralHundredMegabytesCopiesWithA128MegabyteHeap(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3);
            Path big = SyncFiles.write(t.ftpDir.resolve("huge/2018-05-09-metadata.csv.gz"), 400 * MIB + 321, 51);
            Path log = Files.createTempFile("sync-small-heap", ".log");
            try {
                List<String> cmd = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m", "-XX:+ExitOnOutOfMemoryError",
                        "-cp", System.getProperty("java.class.path"),
                        SyncOnceMain.class.getName()));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().putAll(t.env);
                Process p = pb.start();
                boolean done = p.waitFor(10, TimeUnit.MINUTES);
                String output = Files.readString(log, StandardCharsets.UTF_8);
                if (!done) {
                    p.destroyForcibly();
                }
                assertThat(done).as("sync JVM finished; output:%n%s", output).isTrue();
                assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
                assertThat(output).contains("RESULT copied=1 failed=0 bytes=" + (400 * MIB + 321));
                System.out.println("small-heap sync JVM: " + output.lines().filter(l -> l.startsWith("RESULT")).findFirst().orElse(""));
            } finally {
                Files.deleteIfExists(log);
            }
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/huge/2018-05-09-metadata.csv.gz")).isEqualTo(SyncFiles.sha256(big));
            Files.delete(big);
            s3.deleteObject(d -> d.bucket(t.bucket).key("raw/huge/2018-05-09-metadata.csv.gz"));
        }
    }

}
