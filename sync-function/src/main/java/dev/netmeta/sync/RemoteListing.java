package dev.netmeta.sync;

import java.util.List;

/**
 * What one walk of the remote directory found.
 *
 * @param files              the files whose path matches the include patterns
 * @param notMatching        files seen that match none of the patterns (not copied)
 * @param unreadable         sub-directories the server would not list (their files are not synced; reported as
 *                           failures so that someone fixes the permission)
 * @param skippedDirectories directories deliberately not walked, with the reason (the same directory again through
 *                           a symbolic link, nesting beyond the depth limit): logged, not failures
 * @param notWalked          directories the walk did not list because the invocation's time ran out (paths relative
 *                           to the remote directory, ending in {@code /}), in walk order; their files are unknown to
 *                           this run
 * @param notSized           matching files the walk saw without a size and had no time left to ask {@code SIZE} for
 *                           (not in {@code files}; the run defers them)
 * @param command            the listing command the sizes and times come from, {@code MLSD} or {@code LIST} (named in
 *                           the failure of a file whose size or time stays unknown); null when not an FTP listing
 * @param drops              the walk's sessions the server dropped while the walk went on from where it was (on a
 *                           new session, or stopped there by the clock)
 */
public record RemoteListing(List<RemoteFile> files, int notMatching, List<FileFailure> unreadable,
                            List<FileFailure> skippedDirectories, List<String> notWalked, int notSized,
                            String command, SessionDrops drops) {

    public RemoteListing {
        files = List.copyOf(files);
        unreadable = List.copyOf(unreadable);
        skippedDirectories = List.copyOf(skippedDirectories);
        notWalked = List.copyOf(notWalked);
    }

    /** Whether the walk stopped for lack of time (directories or sizes left out). */
    public boolean stopped() {
        return !notWalked.isEmpty() || notSized > 0;
    }

    /** A listing of exactly these files (tests, and sources without anything else to report). */
    public static RemoteListing of(List<RemoteFile> files) {
        return new RemoteListing(files, 0, List.of(), List.of(), List.of(), 0, null, SessionDrops.NONE);
    }
}
