package dev.netmeta.sync;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one scheduled sync run should do, written from docs/SYNC.md alone — none of the sync's own classes (patterns,
 * keys, planner) is used, so that {@code SyncGroundTruthIT} compares the product with an independent reading of its
 * documentation. Only the plain case is modelled: plenty of time, no fan-out, no dropped sessions; a server with MLSD,
 * or one with LIST only — whose minute (or, for a line with a year, day) precision the model leaves out: the cases'
 * times are ten minutes or more away from the minimum age, and a LIST time is read as the end of its minute or day,
 * which keeps a young file young (a file in the future, listed with the year, too).
 *
 * <p>Where the doc says nothing, the choice made here (and written into SYNC.md where it was missing):
 * <ul>
 *   <li>{@code FTP_PATTERNS} is split at commas and each pattern trimmed;</li>
 *   <li>matching is case-sensitive ({@code *.csv.gz} does not match {@code A.CSV.GZ});</li>
 *   <li>{@code *} and {@code ?} match a leading dot too (no shell-style hidden-file rule);</li>
 *   <li>only {@code *}, {@code ?} and {@code **} are special; every other character is itself;</li>
 *   <li>{@code **}{@code /} matches no directory too, as in .gitignore ({@code **}{@code /*.txt} takes {@code a.txt});</li>
 *   <li>a file modified in the future is younger than any minimum age, 0 included;</li>
 *   <li>a symbolic link in a LIST listing is neither file nor directory: not seen at all;</li>
 *   <li>the sync sees what the server lists: names that begin with a dot (files and directories) are left out of
 *       listings by many servers (MINA FtpServer, the test server, in MLSD and LIST; vsftpd unless
 *       {@code force_dot_files}), and then are neither listed nor counted {@code notMatching}.</li>
 * </ul>
 */
final class SyncTruthModel {

    static final int MAX_KEY_BYTES = 1024;

    /** The settings the model reads; {@code patterns} as {@code FTP_PATTERNS} spells them. */
    record Settings(String rawPrefix, boolean recursive, String patterns, long minAgeSeconds) {

        /** {@code RAW_PREFIX} with the {@code /} the doc says is appended when missing. */
        String prefix() {
            return rawPrefix.endsWith("/") ? rawPrefix : rawPrefix + "/";
        }
    }

    /** A file on the FTP server, {@code path} relative to {@code FTP_REMOTE_DIR}. */
    record RemoteFile(String path, long size, Instant modified) {

        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        boolean topLevel() {
            return path.indexOf('/') < 0;
        }
    }

    /** The expected summary counts and which files are copied (key → path) or fail (path). */
    record Outcome(int listed, int notMatching, int newFiles, int copied, int skippedUnstable, int skippedPresent,
                   long bytes, Map<String, String> copiedKeys, List<String> failedFiles) {

        int failed() {
            return failedFiles.size();
        }
    }

    private SyncTruthModel() {
    }

    /**
     * One run over {@code files} against a bucket holding {@code bucketSizes} (key → size), at {@code now}.
     * {@code changedInTransfer} are the paths that change size between the listing and the transfer (the check
     * right before the transfer, or the transfer itself, sees it): counted {@code skippedUnstable}, not copied.
     */
    static Outcome run(Settings settings, List<RemoteFile> files, Map<String, Long> bucketSizes,
                       Set<String> changedInTransfer, Instant now, boolean serverHidesDotNames) {
        List<String> patterns = patterns(settings.patterns());
        int listed = 0;
        int notMatching = 0;
        int newFiles = 0;
        int copied = 0;
        int unstable = 0;
        int present = 0;
        long bytes = 0;
        Map<String, String> copiedKeys = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        for (RemoteFile file : files) {
            if (!settings.recursive() && !file.topLevel()) {
                continue; // not walked: not seen at all
            }
            if (serverHidesDotNames && ("/" + file.path()).contains("/.")) {
                continue; // the server does not list it
            }
            if (patterns.stream().noneMatch(p -> matches(p, file.path()))) {
                notMatching++;
                continue;
            }
            listed++;
            String key = key(settings, file.path());
            if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
                failed.add(file.path());
                continue;
            }
            Long inBucket = bucketSizes.get(key);
            if (inBucket != null && inBucket == file.size()) {
                present++;
                continue;
            }
            newFiles++;
            boolean young = file.modified().isAfter(now.minusSeconds(settings.minAgeSeconds()));
            if (young || changedInTransfer.contains(file.path())) {
                unstable++;
                continue;
            }
            copied++;
            bytes += file.size();
            copiedKeys.put(key, file.path());
        }
        return new Outcome(listed, notMatching, newFiles, copied, unstable, present, bytes, copiedKeys, failed);
    }

    static String key(Settings settings, String path) {
        return settings.prefix() + path;
    }

    static List<String> patterns(String spelled) {
        List<String> patterns = new ArrayList<>();
        for (String p : spelled.split(",")) {
            if (!p.isBlank()) {
                patterns.add(p.strip());
            }
        }
        return patterns;
    }

    /** Without {@code /} the pattern is matched against the file name, with {@code /} against the relative path. */
    static boolean matches(String pattern, String path) {
        String subject = pattern.indexOf('/') < 0 ? path.substring(path.lastIndexOf('/') + 1) : path;
        return regex(pattern).matcher(subject).matches();
    }

    /** {@code **}: anything, {@code /} included ({@code **}{@code /}: also nothing); {@code *}: anything within a name; {@code ?}: one character of it. */
    private static Pattern regex(String glob) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            int cp = glob.codePointAt(i);
            if (glob.startsWith("**/", i)) { // no directory at all, or any number ("**/*.txt" takes "a.txt" too)
                re.append("(?:.*/)?");
                i += 3;
                continue;
            }
            if (glob.startsWith("**", i)) {
                re.append(".*");
                i += 2;
                continue;
            }
            if (cp == '*') {
                re.append("[^/]*");
            } else if (cp == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(new String(Character.toChars(cp))));
            }
            i += Character.charCount(cp);
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
