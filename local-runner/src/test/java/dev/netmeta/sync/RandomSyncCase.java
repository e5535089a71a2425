package dev.netmeta.sync;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One random sync case from a seed, for {@code SyncGroundTruthIT}: settings, an FTP tree (nested and empty
 * directories, names with spaces, non-ASCII letters, URL and glob characters, leading dots, upper-case extensions;
 * zero-byte files and files at and around the part size), and the bucket as it is before the first run (keys of the
 * right size with other content, of the wrong size, under the prefix for no file, and outside the prefix).
 */
final class RandomSyncCase {

    static final int MIB = 1024 * 1024;
    static final int PART_MIB = 5; // SYNC_PART_SIZE_MB's minimum: the smallest files that go multipart

    /** What the test does to a file between the listing and its transfer. */
    enum Change { AT_CHECK, AT_RETR }

    record Dir(String path, long ageSeconds) {
    }

    record File(String path, long size, long ageSeconds, long contentSeed) {
    }

    /** A key put into the bucket before the run: {@code size} bytes of {@code contentSeed}'s content. */
    record Preset(String key, long size, long contentSeed) {
    }

    /** A symbolic link on the FTP side ({@code target} as the link spells it), for the LIST server. */
    record Link(String path, String target) {
    }

    /**
     * A server without MLSD/MLST ({@link LsListingFtplet}, vsftpd's manner): LIST times in {@code zone}
     * ({@code FTP_SERVER_TIMEZONE}), SIZE/MDTM announced or not, names beginning with a dot listed or not, and a first
     * line {@code total N} (as GNU ls and ProFTPD send) or not.
     */
    record ListServer(String zone, boolean sizeAndMdtm, boolean dotNamesListed, boolean totalLine) {
    }

    private static final String[] ZONES = {"UTC", "UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu",
        "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/Los_Angeles"};
    private static final long HALF_A_YEAR_AND_MORE = 200L * 86_400; // vsftpd lists these with the year, no time

    private static final String[] PIECES = {"a", "b", "conn", "dns", "http", "2024", "06", "15", "x y", "München", "日本",
        "😀", "＋", "é", "+", "%", "%20", "#", "?", "[", "]", "[1]", "&", "=", "'", ",", ";", "-", "_", ".", "~", "(x)",
        "ü+ä", "a%2Fb", "q?x=1&y=2"};
    private static final String[] EXTENSIONS = {".csv.gz", ".csv.gz", ".csv.gz", ".CSV.GZ", ".Csv.gz", ".log", ".log",
        ".LOG", ".json", ".txt", ".gz", ".csv", ""};
    private static final String[] PATTERNS = {"*.csv.gz", "*.log", "conn*.gz", "*.json", "zeek/*.log", "**/*.txt",
        "zeek/**.gz", "?.log", "??.json", "*", ".*", "*[1]*", "*%20*", "*.csv.gz?",
        "*😀*", "?😀*", "**/zeek/*"};
    private static final String[] PREFIXES = {"raw/", "raw", "in/ftp/", "data+ü/x y/", "p%20q/", "a[1]/",
        "raw/a-prefix-of-some-length/", "ü/日本/x y/"};
    private static final long[] BIG_SIZES = {PART_MIB * MIB - 1L, PART_MIB * MIB, PART_MIB * MIB + 1L, 6L * MIB,
        6L * MIB + 1, 2L * PART_MIB * MIB, 2L * PART_MIB * MIB + 1};

    final long seed;
    final SyncTruthModel.Settings settings;
    final int concurrency;
    final int streamingPutMaxMb;
    final String stateKey;
    final List<Dir> dirs = new ArrayList<>();
    final List<File> files = new ArrayList<>();
    final List<Preset> presets = new ArrayList<>();
    final Map<String, Change> changes = new LinkedHashMap<>();
    final List<Link> links = new ArrayList<>();
    /** Null: the MINA server with MLSD. */
    final ListServer listServer;

    /** A case for the MINA server with MLSD. */
    RandomSyncCase(long seed) {
        this(seed, false);
    }

    /**
     * With {@code listServer}, the same draws as the MLSD case of this seed, and then a LIST server's settings and what
     * a LIST line makes special: symbolic links (to a file, to {@code .}, to {@code ..}, to a directory, dangling),
     * files older than half a year (a year instead of a time), names with a leading or a double space.
     */
    RandomSyncCase(long seed, boolean listServer) {
        this.seed = seed;
        // java.util.Random's first draws of nearby seeds are alike (its seed is scrambled by one XOR only): seeded
        // directly, seeds 15000 to 19999 drew 5 of the 8 prefixes, 15000 to 15007 all the same one, and never a prefix
        // long enough for the keys at S3's 1,024 bytes. SplittableRandom mixes the seed's bits first.
        Random r = new Random(new SplittableRandom(seed).nextLong());
        String prefix = PREFIXES[r.nextInt(PREFIXES.length)];
        boolean recursive = r.nextInt(4) != 0;
        long minAge = new long[] {0, 60, 600, 3600}[r.nextInt(4)];
        StringBuilder patterns = new StringBuilder();
        int n = 1 + r.nextInt(3);
        Set<String> chosen = new HashSet<>();
        while (chosen.size() < n) {
            String p = PATTERNS[r.nextInt(PATTERNS.length)];
            if (chosen.add(p)) {
                patterns.append(patterns.isEmpty() ? "" : r.nextBoolean() ? "," : ", ").append(p);
            }
        }
        settings = new SyncTruthModel.Settings(prefix, recursive, patterns.toString(), minAge);
        concurrency = 1 + r.nextInt(4);
        streamingPutMaxMb = new int[] {0, 6, 100}[r.nextInt(3)];
        stateKey = r.nextBoolean() ? "" : "state/truth-throughput.json";
        tree(r);
        this.listServer = listServer ? new ListServer(ZONES[r.nextInt(ZONES.length)], r.nextInt(3) != 0, r.nextBoolean(),
                r.nextBoolean())
                : null;
        if (listServer) {
            listExtras(r);
        }
        bucket(r);
        changesInTransfer(r);
    }

    private void listExtras(Random r) {
        List<String> dirPaths = new ArrayList<>(List.of(""));
        dirs.forEach(d -> dirPaths.add(d.path()));
        if (settings.recursive()) { // directories whose LIST line is special too: a leading space, an arrow
            for (String name : List.of(" lead dir", "d -> e")) {
                String path = dirPaths.get(r.nextInt(dirPaths.size())) + name + "/";
                if (!dirPaths.contains(path)) {
                    dirPaths.add(path);
                    dirs.add(new Dir(path, 3600 + r.nextInt(86_400)));
                    files.add(new File(path + name(r, false) + ".csv.gz", 1 + r.nextInt(20_000), age(r), r.nextLong()));
                }
            }
        }
        Set<String> used = new HashSet<>();
        files.forEach(f -> used.add(f.path()));
        dirPaths.forEach(d -> used.add(d.isEmpty() ? "" : d.substring(0, d.length() - 1)));
        List<String> names = List.of(" lead" + name(r, false) + ".csv.gz", "two  spaces" + name(r, false) + ".log",
                name(r, false) + " -> x.csv.gz", "old " + name(r, false) + ".csv.gz", "old2 " + name(r, false) + ".log");
        for (String n : names) {
            String path = dirPaths.get(r.nextInt(dirPaths.size())) + n;
            if (used.add(path)) {
                long age = n.startsWith("old") ? HALF_A_YEAR_AND_MORE + r.nextInt(86_400 * 400) : age(r);
                files.add(new File(path, 1 + r.nextInt(20_000), age, r.nextLong()));
            }
        }
        List<String> fileTargets = files.stream().map(File::path).toList();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            String dir = dirPaths.get(r.nextInt(dirPaths.size()));
            String name = r.nextBoolean() ? "link " + i + ".csv.gz" : "current" + i;
            String target = switch (r.nextInt(5)) {
                case 0 -> ".";
                case 1 -> "..";
                case 2 -> "no-such-target.csv.gz";
                case 3 -> "/" + dirPaths.get(r.nextInt(dirPaths.size())); // absolute: resolved by the test
                default -> fileTargets.isEmpty() ? "." : "/" + fileTargets.get(r.nextInt(fileTargets.size()));
            };
            if (used.add(dir + name)) {
                links.add(new Link(dir + name, target));
            }
        }
    }

    private void tree(Random r) {
        List<String> dirPaths = new ArrayList<>(List.of(""));
        int dirCount = r.nextInt(9);
        for (int i = 0; i < dirCount; i++) {
            String parent = dirPaths.get(r.nextInt(dirPaths.size()));
            if (parent.chars().filter(c -> c == '/').count() >= 6) {
                continue;
            }
            String name = r.nextInt(6) == 0 ? "zeek" : name(r, false);
            String path = parent + name + "/";
            // a directory called "~" is not walked on MINA FtpServer, which reads "/in/~" as the user's home (CWD
            // too): a server's tilde expansion, left out here and named in SyncGroundTruthIT's report
            if (!name.equals(".") && !name.equals("..") && !name.equals("~") && !dirPaths.contains(path)) {
                dirPaths.add(path);
                dirs.add(new Dir(path, 3600 + r.nextInt(86_400)));
            }
        }
        // a deep chain whose keys reach S3's 1,024 bytes: one exactly, one a byte over — with a prefix of 16 bytes or
        // more, so that the path the sync sends ("MLST /in/…") stays within MINA's 1,024 bytes per command line (a
        // longer line closes the session: a failure of the test server, not of the sync)
        if (bytes(settings.prefix()) >= 16 && r.nextInt(2) == 0) {
            String deep = "";
            for (int i = 0; i < 4; i++) { // 200 bytes each: every name stays within the file system's 255
                deep += "d" + i + "-" + "ü".repeat(98) + "/";
                dirs.add(new Dir(deep, 7200));
            }
            int left = SyncTruthModel.MAX_KEY_BYTES - bytes(settings.prefix() + deep);
            files.add(new File(deep + "k".repeat(left - ".csv.gz".length()) + ".csv.gz", 100, 7200, r.nextLong()));
            files.add(new File(deep + "k".repeat(left + 1 - ".csv.gz".length()) + ".csv.gz", 100, 7200, r.nextLong()));
        }
        Set<String> used = new HashSet<>();
        files.forEach(f -> used.add(f.path()));
        dirPaths.forEach(d -> used.add(d.isEmpty() ? "" : d.substring(0, d.length() - 1)));
        int fileCount = 8 + r.nextInt(18);
        int big = 0;
        for (int i = 0; i < fileCount; i++) {
            String dir = dirPaths.get(r.nextInt(dirPaths.size()));
            String path = dir + name(r, true) + EXTENSIONS[r.nextInt(EXTENSIONS.length)];
            if (!used.add(path) || path.endsWith("/.") || path.endsWith("/..") || path.equals(".") || path.equals("..")) {
                continue;
            }
            long size;
            int kind = r.nextInt(10);
            if (kind == 0) {
                size = 0;
            } else if (kind == 1 && big < 2) {
                size = BIG_SIZES[r.nextInt(BIG_SIZES.length)];
                big++;
            } else {
                size = 1 + r.nextInt(70_000);
            }
            files.add(new File(path, size, age(r), r.nextLong()));
        }
    }

    /** Old enough with a wide margin, or young (within the minimum age, or in the future). */
    private long age(Random r) {
        long minAge = settings.minAgeSeconds();
        if (r.nextInt(5) != 0) {
            return minAge + 600 + r.nextInt(86_400);
        }
        return minAge >= 600 ? minAge / 3 : -(600 + r.nextInt(3600)); // negative: modified in the future
    }

    private void bucket(Random r) {
        for (File f : files) {
            String key = SyncTruthModel.key(settings, f.path());
            if (bytes(key) > SyncTruthModel.MAX_KEY_BYTES) {
                continue;
            }
            int kind = r.nextInt(7);
            if (kind == 0) {
                presets.add(new Preset(key, f.size(), r.nextLong())); // right size, other content: must stay as it is
            } else if (kind == 1) {
                presets.add(new Preset(key, f.size() == 0 ? 1 : f.size() - 1, r.nextLong())); // wrong size
            }
        }
        String bare = settings.prefix().substring(0, settings.prefix().length() - 1);
        presets.add(new Preset(settings.prefix() + "zz-no-such-file.csv.gz", 10, r.nextLong()));
        presets.add(new Preset(bare + "-old/a.csv.gz", 20, r.nextLong()));
        presets.add(new Preset(bare + "x.csv.gz", 30, r.nextLong()));
        presets.add(new Preset("other/zeek/conn.csv.gz", 40, r.nextLong()));
    }

    /** Up to two files that change size between listing and transfer, chosen among those the first run copies. */
    private void changesInTransfer(Random r) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        presets.forEach(p -> sizes.put(p.key(), p.size()));
        SyncTruthModel.Outcome plain = SyncTruthModel.run(settings, remoteFiles(Instant.now()), sizes, Set.of(),
                Instant.now(), true);
        List<String> copied = new ArrayList<>(plain.copiedKeys().values());
        int n = Math.min(copied.size(), r.nextInt(3));
        for (int i = 0; i < n; i++) {
            changes.put(copied.remove(r.nextInt(copied.size())), r.nextBoolean() ? Change.AT_CHECK : Change.AT_RETR);
        }
    }

    List<SyncTruthModel.RemoteFile> remoteFiles(Instant now) {
        return files.stream().map(f -> new SyncTruthModel.RemoteFile(f.path(), f.size(), now.minusSeconds(f.ageSeconds())))
                .toList();
    }

    private static String name(Random r, boolean file) {
        StringBuilder name = new StringBuilder();
        if (file && r.nextInt(8) == 0) {
            name.append('.');
        }
        int pieces = 1 + r.nextInt(3);
        for (int i = 0; i < pieces; i++) {
            name.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return name.toString();
    }

    static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    String describe() {
        StringBuilder s = new StringBuilder("seed ").append(seed).append(": ").append(settings)
                .append(", SYNC_CONCURRENCY=").append(concurrency).append(", SYNC_STREAMING_PUT_MAX_MB=")
                .append(streamingPutMaxMb).append(", SYNC_STATE_KEY='").append(stateKey).append("'\n");
        dirs.forEach(d -> s.append("  dir  ").append(d.path()).append('\n'));
        files.forEach(f -> s.append("  file ").append(f.path()).append(" (").append(f.size()).append(" B, age ")
                .append(f.ageSeconds()).append(" s").append(changes.containsKey(f.path()) ? ", changes " + changes.get(f.path()) : "")
                .append(")\n"));
        if (listServer != null) {
            s.append("  LIST server: ").append(listServer).append('\n');
        }
        links.forEach(l -> s.append("  link ").append(l.path()).append(" -> ").append(l.target()).append('\n'));
        presets.forEach(p -> s.append("  key  ").append(p.key()).append(" (").append(p.size()).append(" B)\n"));
        return s.toString();
    }
}
