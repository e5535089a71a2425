package dev.netmeta.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides, from one FTP listing and one S3 listing (key → size), which files to copy: a file is copied when its
 * key is absent or its size differs; a file to copy whose modification time is younger than the minimum age may
 * still be written to, so it is held back this run. A file to copy whose size or modification time the server did not
 * tell ({@link RemoteFile#hasSizeAndTime()}) is not copied either: nothing says it is complete. When the S3 listing
 * stopped early (the clock), files whose keys it did not reach are undecided: left for the next run.
 */
public final class FileDiff {

    public record Result(List<RemoteFile> toCopy, List<RemoteFile> present, List<RemoteFile> tooYoung,
                         List<RemoteFile> notListed, List<RemoteFile> unknownSizeOrTime) {
        public int candidates() {
            return toCopy.size() + tooYoung.size() + unknownSizeOrTime.size();
        }
    }

    private FileDiff() {
    }

    public static Result compute(List<RemoteFile> remote, Map<String, Long> existingSizes,
                                 java.util.function.Function<String, String> keyOf, Instant now, Duration minAge) {
        return compute(remote, KeySizes.complete(existingSizes), keyOf, now, minAge);
    }

    public static Result compute(List<RemoteFile> remote, KeySizes existingSizes,
                                 java.util.function.Function<String, String> keyOf, Instant now, Duration minAge) {
        List<RemoteFile> toCopy = new ArrayList<>();
        List<RemoteFile> present = new ArrayList<>();
        List<RemoteFile> tooYoung = new ArrayList<>();
        List<RemoteFile> notListed = new ArrayList<>();
        List<RemoteFile> unknownSizeOrTime = new ArrayList<>();
        Instant cutoff = now.minus(minAge);
        for (RemoteFile f : remote) {
            String key = keyOf.apply(f.path());
            if (!existingSizes.covers(key)) {
                notListed.add(f);
                continue;
            }
            Long existing = existingSizes.sizes().get(key);
            if (existing != null && existing == f.size()) {
                present.add(f);
            } else if (!f.hasSizeAndTime()) {
                unknownSizeOrTime.add(f);
            } else if (f.modified().isAfter(cutoff)) {
                tooYoung.add(f);
            } else {
                toCopy.add(f);
            }
        }
        return new Result(toCopy, present, tooYoung, notListed, unknownSizeOrTime);
    }
}
