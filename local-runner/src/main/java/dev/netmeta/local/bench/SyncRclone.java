package dev.netmeta.local.bench;

import dev.netmeta.local.server.EmbeddedFtp;
import dev.netmeta.local.server.EmbeddedS3;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code rclone copy} from the embedded FTP server to the embedded S3 server, configured through environment
 * variables (no config file), with its defaults apart from {@code --transfers}. {@code AWS_CA_BUNDLE} is removed
 * from its environment (rclone's S3 backend refuses to start with this machine's value).
 */
final class SyncRclone {

    private SyncRclone() {
    }

    /** Wall-clock, user-CPU and system-CPU milliseconds of the copy, or {-1, -1, -1} when rclone is not installed. */
    static long[] copy(EmbeddedFtp ftp, EmbeddedS3 s3, String source, String target, int transfers) throws Exception {
        if (!onPath("rclone")) {
            System.out.println("rclone not on PATH: skipped (install with: apt-get install rclone)");
            return new long[] {-1, -1, -1};
        }
        Map<String, String> env = Map.ofEntries(
                Map.entry("RCLONE_CONFIG_SRC_TYPE", "ftp"),
                Map.entry("RCLONE_CONFIG_SRC_HOST", ftp.host()),
                Map.entry("RCLONE_CONFIG_SRC_PORT", Integer.toString(ftp.port())),
                Map.entry("RCLONE_CONFIG_SRC_USER", ftp.user()),
                Map.entry("RCLONE_CONFIG_SRC_PASS", run(Map.of(), "rclone", "obscure", ftp.password()).trim()),
                Map.entry("RCLONE_CONFIG_DST_TYPE", "s3"),
                Map.entry("RCLONE_CONFIG_DST_PROVIDER", "Other"),
                Map.entry("RCLONE_CONFIG_DST_ACCESS_KEY_ID", s3.accessKey()),
                Map.entry("RCLONE_CONFIG_DST_SECRET_ACCESS_KEY", s3.secretKey()),
                Map.entry("RCLONE_CONFIG_DST_ENDPOINT", s3.endpoint().toString()),
                Map.entry("RCLONE_CONFIG_DST_REGION", s3.region()),
                Map.entry("RCLONE_CONFIG_DST_FORCE_PATH_STYLE", "true"));
        long start = System.nanoTime();
        // bash's `times` reports the user and system CPU time of its children (rclone)
        String out = run(env, "bash", "-c", "rclone copy \"$0\" \"$1\" --transfers \"$2\" --include '*.csv.gz' --config /dev/null && times",
                "src:" + source, "dst:" + target, Integer.toString(transfers));
        long wall = (System.nanoTime() - start) / 1_000_000;
        String[] lines = out.strip().split("\n");
        long[] cpu = childCpuMillis(lines[lines.length - 1]);
        return new long[] {wall, cpu[0], cpu[1]};
    }

    /** Parses the second line of bash's {@code times} ("0m1.234s 0m0.567s": children's user and system time), in ms. */
    static long[] childCpuMillis(String line) {
        String[] t = line.trim().split("\\s+");
        long[] ms = new long[2];
        for (int i = 0; i < 2; i++) {
            int m = t[i].indexOf('m');
            ms[i] = Math.round((Long.parseLong(t[i].substring(0, m)) * 60 + Double.parseDouble(t[i].substring(m + 1, t[i].length() - 1))) * 1000);
        }
        return ms;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static String run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
        pb.environment().remove("AWS_CA_BUNDLE");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(command[0] + " " + command[1] + " failed:\n" + out);
        }
        return out;
    }
}
