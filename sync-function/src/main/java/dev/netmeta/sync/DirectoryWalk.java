package dev.netmeta.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;

/**
 * One walk of the remote directory ({@link FtpRemoteFileSource#list(BooleanSupplier)}), newest directory first: of
 * the directories found and not yet listed, the one whose listed modification time is the latest is listed next (one
 * without a time counts as newest; equal times in the order found, so a server that sends no directory times is walked
 * breadth-first). Creating or renaming a file updates its directory's time, so the directories that hold new files
 * come before those unchanged since an earlier run copied them — when the clock stops the walk, what it leaves out is
 * the old part of the tree, not (as in the name order servers list in, oldest date first) the newest. The top
 * directory is always listed (it is also the check that FTP_REMOTE_DIR exists); before each further listing (a
 * directory, or the one more level that tells a symbolic-link loop) and before each SIZE, {@code keepGoing} is asked,
 * and once it said stop it is not asked again: the directories still queued are returned as not walked, the files
 * still without a size as not sized. The entries of the directory being read when the clock stops the walk are kept
 * (no further round trip).
 *
 * <p>The walk keeps its place between round trips: what it found, the directories queued, the MLSD unique facts and
 * listing digests of the loop checks, the directory it is in (its listing, once that has arrived, and the next entry
 * to take). A round trip that fails leaves all of that as it was before the round trip began. So when the server (or
 * the link) drops the session ({@link SessionDrops#dropped}: closed, {@code 421}, reset, no answer in time), one new
 * session — logged in as the first, through the same {@link Sessions} — goes on with that same round trip: the
 * listing or SIZE it was at, not the whole tree again: a drop costs a login and that one round trip. Bounded by
 * progress: the first drop of a walk always gets a new session; a later one only if the session that dropped had
 * answered at least one listing or SIZE — a server that drops every session before its first answer (or at the same
 * directory every time) fails the run at its second drop, naming the commands both sessions dropped at, instead of
 * logging in without end. A server that answers a few commands per session gets the sessions it needs (each one is
 * progress), as far as the clock allows: {@code keepGoing} is asked before each new session, and once it says stop the
 * walk ends there as it does when the clock stops it between round trips. Anything else that fails (a refused login on
 * the new session, an answer that makes no sense, a remote directory that does not exist) fails the run as before.
 */
final class DirectoryWalk {

    /** Directory levels walked below the remote directory at most: a backstop against loops no check recognises. */
    static final int MAX_DEPTH = 32;

    /** The walk's order: the latest modification time first, then the order found. */
    private static final Comparator<Dir> NEWEST_FIRST = Comparator.<Dir>comparingLong(Dir::modified).reversed()
            .thenComparingLong(Dir::found);

    /** Opens a logged-in session ({@link FtpConnector#connect}: FEAT and OPTS MLST as for every session). */
    @FunctionalInterface
    interface Sessions {
        FTPClient open() throws IOException;
    }

    private final SyncConfig config;
    private final PathPatterns patterns;
    private final BooleanSupplier going;
    /** MLSD (the server announced MLST) or LIST, and whether SIZE may be asked: as the first session's FEAT says. */
    private boolean mlsd;
    private boolean sizeAnnounced;

    private final List<RemoteFile> files = new ArrayList<>();
    private final List<FileFailure> unreadable = new ArrayList<>();
    private final List<FileFailure> skipped = new ArrayList<>();
    private final List<String> notWalked = new ArrayList<>();
    private int notSized;
    private int notMatching;
    private final Set<String> uniques = new HashSet<>(); // MLSD "unique" facts of the directories walked (RFC 3659)
    private boolean sendsUnique; // then those facts, and only they, recognise a directory seen before
    private final PriorityQueue<Dir> dirs = new PriorityQueue<>(NEWEST_FIRST);
    private long found;

    /** The directory being walked (taken from the queue, not finished), or null between directories. */
    private Dir current;
    /** Its listing, null until it has arrived; its digest and the ancestor it lists like (null: none). */
    private FTPFile[] entries;
    private byte[] signature;
    private Repeat repeat;
    /** Whether the one more listing that tells a loop has been made (or was not needed). */
    private boolean loopDecided;
    /** The first entry of {@link #entries} not taken yet. */
    private int nextEntry;

    /**
     * The round trip under way ({@code MLSD /in/2024}, {@code SIZE /in/a.csv.gz}, {@code CWD /in/br[1]}), named when
     * its session drops.
     */
    private String asking;
    /** Round trips answered, on all sessions: the walk's progress. */
    private long answers;
    private SessionDrops drops = SessionDrops.NONE;
    private String lastDropAt;

    /** A walk from the top of FTP_REMOTE_DIR; {@code keepGoing} is the clock (see the class comment). */
    DirectoryWalk(SyncConfig config, PathPatterns patterns, BooleanSupplier keepGoing) {
        this.config = config;
        this.patterns = patterns;
        this.going = new BooleanSupplier() {
            private boolean stopped;

            @Override
            public boolean getAsBoolean() {
                stopped = stopped || !keepGoing.getAsBoolean();
                return !stopped;
            }
        };
        dirs.add(new Dir("", 0, null, Long.MAX_VALUE, found++));
    }

    /**
     * The whole walk, on a session from {@code sessions} and, after a drop, on new ones (see the class comment).
     * The session the walk ends on goes to {@code keep} (for the MDTM pass and the transfers); a dropped one is
     * disconnected.
     */
    RemoteListing walk(Sessions sessions, Consumer<FTPClient> keep) throws IOException {
        FTPClient client = sessions.open();
        try {
            // FEAT was read by the login; a new session after a drop keeps the first one's decision, so the digests of
            // the loop checks compare listings of the same command
            mlsd = client.hasFeature("MLST");
            sizeAnnounced = client.hasFeature("SIZE");
        } catch (IOException | RuntimeException e) {
            FtpConnector.disconnectQuietly(client);
            throw e;
        }
        while (true) {
            long answeredBefore = answers;
            try {
                walkOn(client);
                keep.accept(client);
                return listing();
            } catch (IOException | RuntimeException e) {
                FtpConnector.disconnectQuietly(client);
                if (!SessionDrops.dropped(e)) {
                    throw e;
                }
                client = afterDrop(sessions, e, answers > answeredBefore);
                if (client == null) {
                    walkOn(null); // the clock said stop: the rest of the directory it was in, without a round trip
                    return listing();
                }
            }
        }
    }

    /**
     * A new session after the one the walk was on dropped at {@link #asking} with {@code drop}; null when the clock
     * says stop (the walk ends where it is, without one). Throws when the drop ends the walk: a second drop without
     * an answer since the one before, a drop with no time left before the top directory has been listed, a new session
     * that cannot be opened.
     */
    private FTPClient afterDrop(Sessions sessions, Exception drop, boolean progress) throws IOException {
        String at = asking;
        drops.requireProgress("directory walk", at, lastDropAt, drop, progress);
        boolean timeLeft = going.getAsBoolean();
        if (!timeLeft && current != null && current.rel.isEmpty() && entries == null) {
            throw new IOException("the FTP server dropped the directory walk's session at " + at + ", before the"
                    + " top directory was listed, and no time is left for a new session", drop);
        }
        drops = drops.plus(at, drop);
        lastDropAt = at;
        if (!timeLeft) {
            if (current != null && entries == null) {
                notWalked.add(current.rel + "/"); // its listing never came
                current = null;
            }
            return null;
        }
        try {
            return sessions.open();
        } catch (IOException e) {
            throw new IOException(afterDropFailed(at, drop, e), e);
        } catch (SyncException e) {
            throw new SyncException(afterDropFailed(at, drop, e), e);
        }
    }

    private static String afterDropFailed(String at, Exception drop, Exception e) {
        return "the FTP server dropped the directory walk's session at " + at + " (" + drop.getMessage()
                + "), and a new session failed: " + e.getMessage();
    }

    /**
     * Walks on {@code client} from where the walk is, until the tree is walked or the clock says stop. A round trip
     * that fails throws, and the walk stays where it was before it. Once the clock has said stop, it makes no round
     * trip (the rest of the directory it is in is read from its listing) and needs no session.
     */
    void walkOn(FTPClient client) throws IOException {
        while (true) {
            if (current == null) {
                if (dirs.isEmpty() || (!dirs.peek().rel.isEmpty() && !going.getAsBoolean())) {
                    return; // done, or out of time: what is still queued is reported as not walked
                }
                current = dirs.poll();
                entries = null;
            }
            if (entries == null && !list(client)) {
                current = null;
                continue;
            }
            if (!loopDecided) {
                if (repeat != null && !going.getAsBoolean()) {
                    // no time for the one more listing that tells a loop from a real chain
                    notWalked.add(current.rel + "/");
                    current = null;
                    return;
                }
                if (repeat != null && isLoop(client)) {
                    skipped.add(new FileFailure(current.rel + "/", "lists exactly as '" + repeat.ancestorPath()
                            + "' above it, and so does the level below: the same directory again through a symbolic"
                            + " link; not walked"));
                    current = null;
                    continue;
                }
                loopDecided = true;
            }
            while (nextEntry < entries.length) {
                take(client, entries[nextEntry]);
                nextEntry++;
            }
            current = null;
        }
    }

    /**
     * Lists {@link #current}; false when the server refused a sub-directory (a failure of its own, the walk goes on).
     * Nothing of the walk changes until the listing has arrived.
     */
    private boolean list(FTPClient client) throws IOException {
        Dir dir = current;
        String abs = absolute(dir);
        FTPFile[] listed = listDir(client, abs, "");
        if (cutOff(client, listed)) {
            // the server's final reply says the listing's data connection broke (426, 451): what arrived is part of
            // the directory, and commons-net returns it as if whole — its other files would be left out of this run
            // without a word. Asked once more on the same session (the control connection is fine). The cut answer is
            // no progress: nothing of it is kept, so a session dropped at the second ask is not worth a third one.
            String firstReply = FtpConnector.reply(client);
            listed = listDir(client, abs, "");
            if (cutOff(client, listed)) {
                String reason = "its listing was cut off twice (" + firstReply + "; " + FtpConnector.reply(client)
                        + ")";
                if (dir.rel.isEmpty()) {
                    throw new IOException("Cannot list FTP directory '" + abs + "': " + reason);
                }
                answers++;
                unreadable.add(new FileFailure(dir.rel + "/", "cannot list this directory: " + reason
                        + " (its files are not synced this run; the next run lists it again)"));
                return false;
            }
        }
        if (listed != null && listed.length == 0 && !mlsd && dir.rel.isEmpty() && isPositive(client)
                && !changeWorkingDirectory(client, abs)) {
            // vsftpd answers "LIST <no such directory>" with an empty listing and 226: a mistyped
            // FTP_REMOTE_DIR would read as an empty directory on every run, without a word
            throw new IOException("Cannot list FTP directory '" + abs + "': the server lists it as empty, but "
                    + "it is not a directory the user can enter (" + FtpConnector.reply(client)
                    + "); check FTP_REMOTE_DIR");
        }
        answers++;
        if (listed == null || (listed.length == 0 && !isPositive(client))) {
            if (dir.rel.isEmpty() || !client.isConnected()) {
                throw new IOException("Cannot list FTP directory '" + abs + "': " + FtpConnector.reply(client));
            }
            // one sub-directory the user may not read must not stop the others from being synced
            unreadable.add(new FileFailure(dir.rel + "/", "cannot list this directory: "
                    + FtpConnector.reply(client) + " (its files are not synced)"));
            return false;
        }
        entries = listed;
        signature = signature(listed);
        for (FTPFile e : listed) {
            sendsUnique |= fact(e, "unique") != null;
        }
        repeat = sendsUnique ? null : dir.repeats(signature);
        loopDecided = false;
        nextEntry = 0;
        return true;
    }

    /** One entry of {@link #current}'s listing: a directory to queue, a file to keep (after its SIZE), or neither. */
    private void take(FTPClient client, FTPFile e) throws IOException {
        String unique = fact(e, "unique");
        if (unique != null && fact(e, "type").equals("cdir")) {
            uniques.add(unique);
        }
        if (e == null || skip(e)) {
            return;
        }
        Dir dir = current;
        String childRel = dir.rel.isEmpty() ? e.getName() : dir.rel + "/" + e.getName();
        if (e.isDirectory()) {
            if (!config.recursive()) {
                return;
            }
            if (unique != null && !uniques.add(unique)) {
                skipped.add(new FileFailure(childRel + "/", "the server names it as a directory already "
                        + "walked (MLSD unique fact " + unique + "): a symbolic link; not walked"));
            } else if (dir.depth + 1 > MAX_DEPTH) {
                skipped.add(new FileFailure(childRel + "/", "deeper than " + MAX_DEPTH
                        + " directory levels (a symbolic link loop?); not walked"));
            } else {
                Calendar time = e.getTimestamp();
                dirs.add(new Dir(childRel, dir.depth + 1, new Ancestor(dir.rel, signature, dir.ancestors),
                        time == null ? Long.MAX_VALUE : time.getTimeInMillis(), found++));
            }
        } else if (e.isFile()) {
            if (!patterns.matches(childRel)) {
                notMatching++;
                return;
            }
            long size = e.getSize();
            if (size < 0 && sizeAnnounced) {
                if (!going.getAsBoolean()) {
                    notSized++; // its SIZE would be a round trip past the clock
                    return;
                }
                asking = "SIZE " + config.absolutePath(childRel);
                size = SizeAndMdtm.size(client, config.absolutePath(childRel));
                answers++;
            }
            // MLSD's time is exact (UTC); a LIST time stands for the end of its minute. A time the listing lacks is
            // asked later, for the files to copy only (FtpRemoteFileSource.completeTimes).
            files.add(new RemoteFile(childRel, size, FtpRemoteFileSource.latestModification(e, mlsd)));
        }
    }

    /** What the walk found; the directories it did not reach are not walked, in the order it would have taken them. */
    RemoteListing listing() {
        List<String> late = new ArrayList<>(notWalked);
        PriorityQueue<Dir> queued = new PriorityQueue<>(dirs);
        while (!queued.isEmpty()) {
            late.add(queued.poll().rel + "/");
        }
        return new RemoteListing(files, notMatching, unreadable, skipped, late, notSized, mlsd ? "MLSD" : "LIST",
                drops);
    }

    /**
     * The listing of {@code path} with the walk's command (MLSD or LIST); a path with glob characters is entered and
     * listed without an argument ({@link FtpGlobs}) — {@code null} when the server refuses to enter it (its reply is
     * the one a refused listing's failure names). {@link #asking} names each command as it is sent, followed by
     * {@code why}: {@code CWD /in/br[1]}, then {@code MLSD after CWD /in/br[1]} — a drop names what the server was
     * really asked, not an {@code MLSD /in/br[1]} that never went out.
     */
    private FTPFile[] listDir(FTPClient client, String path, String why) throws IOException {
        String command = mlsd ? "MLSD" : "LIST";
        if (FtpGlobs.in(path)) {
            asking = "CWD " + path + why;
            if (!client.changeWorkingDirectory(path)) {
                return null;
            }
            asking = command + " after CWD " + path + why;
            return mlsd ? client.mlistDir() : client.listFiles();
        }
        asking = command + " " + path + why;
        return mlsd ? client.mlistDir(path) : client.listFiles(path);
    }

    private boolean changeWorkingDirectory(FTPClient client, String abs) throws IOException {
        asking = "CWD " + abs;
        return client.changeWorkingDirectory(abs);
    }

    private String absolute(Dir dir) {
        return dir.rel.isEmpty() ? config.ftpRemoteDir() : config.absolutePath(dir.rel);
    }

    /**
     * A directory to walk: its path relative to the remote directory, its depth, the listings above it, its listed
     * modification time in milliseconds ({@code Long.MAX_VALUE} when unknown) and its place in the order found.
     */
    private record Dir(String rel, int depth, Ancestor ancestors, long modified, long found) {

        /**
         * The ancestor whose listing is exactly this one, with the step below it on the way here (its name and
         * listing), or null.
         */
        Repeat repeats(byte[] signature) {
            String stepRel = rel;
            byte[] stepSignature = signature;
            for (Ancestor a = ancestors; a != null; a = a.parent()) {
                if (MessageDigest.isEqual(a.signature(), signature)) {
                    String step = a.rel().isEmpty() ? stepRel : stepRel.substring(a.rel().length() + 1);
                    return new Repeat(a.rel().isEmpty() ? "/" : a.rel() + "/", step, stepSignature);
                }
                stepRel = a.rel();
                stepSignature = a.signature();
            }
            return null;
        }
    }

    private record Ancestor(String rel, byte[] signature, Ancestor parent) {
    }

    /** This directory lists as {@code ancestorPath}; {@code step} led from there towards it, listing as {@code stepSignature}. */
    private record Repeat(String ancestorPath, String step, byte[] stepSignature) {
    }

    /**
     * Whether {@link #current}, which lists exactly like one of its ancestors, is that ancestor again (a loop through
     * a symbolic link) rather than a real chain made in one go ({@code mkdir -p 2024/01/01}: {@code 2024/} and
     * {@code 2024/01/} both list one {@code 01} of the same time). If it is the ancestor, its {@code step} child
     * lists like the ancestor's: one more listing decides. (A chain of three identical levels of directories alone
     * would still be taken for a loop; the depth cap is the backstop the other way.)
     */
    private boolean isLoop(FTPClient client) throws IOException {
        String probe = config.absolutePath(current.rel + "/" + repeat.step());
        FTPFile[] below = listDir(client, probe, " (the level that tells a symbolic-link loop)");
        answers++;
        if (below == null || !isPositive(client)) {
            return false; // refused, or cut off (426, 451): not known to be a loop; the depth cap stays the backstop
        }
        return MessageDigest.isEqual(signature(below), repeat.stepSignature());
    }

    /**
     * A digest of a directory's entries (name, type, size, time), independent of their order. A directory that lists
     * exactly as one of its own ancestors is that ancestor reached again through a symbolic link ({@code current ->
     * .}): a real sub-directory would have to hold an entry of its own name with the same time, and every sibling
     * with the same size and time. Servers that send the MLSD {@code unique} fact are recognised by it first.
     */
    private static byte[] signature(FTPFile[] entries) {
        List<String> lines = new ArrayList<>();
        for (FTPFile e : entries) {
            if (e != null && !skip(e)) {
                Calendar ts = e.getTimestamp();
                lines.add(e.getName() + '\u0000' + e.getType() + '\u0000' + e.getSize() + '\u0000'
                        + (ts == null ? "" : ts.getTimeInMillis()));
            }
        }
        Collections.sort(lines);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String line : lines) {
                sha.update(line.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** A fact of an MLSD entry ({@code unique}, {@code type}), lower-cased; "" for type and null otherwise when absent. */
    private static String fact(FTPFile e, String name) {
        String raw = e == null ? null : e.getRawListing();
        if (raw != null) {
            int space = raw.indexOf(' ');
            for (String fact : (space < 0 ? raw : raw.substring(0, space)).split(";")) {
                int eq = fact.indexOf('=');
                if (eq > 0 && fact.substring(0, eq).trim().equalsIgnoreCase(name)) {
                    return fact.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
                }
            }
        }
        return name.equals("type") ? "" : null;
    }

    /**
     * Whether a listing that brought entries ended with a reply that is not a success: the server says the transfer
     * failed (426 connection closed, 451 local error), so the entries are only part of the directory. (An empty
     * listing with such a reply is a refused one, decided by the caller.)
     */
    private static boolean cutOff(FTPClient client, FTPFile[] listed) {
        return listed != null && listed.length > 0 && client.isConnected() && !isPositive(client);
    }

    private static boolean isPositive(FTPClient client) {
        int code = client.getReplyCode();
        return code >= 200 && code < 300;
    }

    private static boolean skip(FTPFile e) {
        String name = e.getName();
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")) {
            return true;
        }
        String raw = e.getRawListing() == null ? "" : e.getRawListing().toLowerCase(Locale.ROOT);
        return raw.contains("type=cdir") || raw.contains("type=pdir");
    }
}
