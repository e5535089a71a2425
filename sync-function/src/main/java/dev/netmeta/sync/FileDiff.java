package dev.netmeta.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides, from one FTP listing and one S3 listing (key → size), which files to copy: a file is copied when its
 * key is absent or its size differs; a file to copy whose modification time is younger than the minimum age may
 * still be written to, so it is held back this run.
 */
public final class FileDiff {

    public record Result(List<RemoteFile> toCopy, List<RemoteFile> present, List<RemoteFile> tooYoung) {
        public int candidates() {
            return toCopy.size() + tooYoung.size();
        }
    }

    private FileDiff() {
    }

    public static Result compute(List<RemoteFile> remote, Map<String, Long> existingSizes,
                                 java.util.function.Function<String, String> keyOf, Instant now, Duration minAge) {
        List<RemoteFile> toCopy = new ArrayList<>();
        List<RemoteFile> present = new ArrayList<>();
        List<RemoteFile> tooYoung = new ArrayList<>();
        Instant cutoff = now.minus(minAge);
        for (RemoteFile f : remote) {
            Long existing = existingSizes.get(keyOf.apply(f.path()));
            if (existing != null && existing == f.size()) {
                present.add(f);
            } else if (f.modified().isAfter(cutoff)) {
                tooYoung.add(f);
            } else {
                toCopy.add(f);
            }
        }
        return new Result(toCopy, present, tooYoung);
    }
}
