package dev.netmeta.sync;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.BooleanSupplier;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;

/**
 * {@link RemoteFileSource} over FTP/FTPS with Apache Commons Net. Listing uses MLSD (exact sizes and UTC
 * modification times) when the server announces MLST in FEAT, LIST otherwise (minute precision: the listed time is
 * moved to the end of its minute so the minimum-age rule stays on the safe side); with either, SIZE for an entry
 * without a size, and MDTM for one without a time only when the run would copy it ({@link #completeTimes}). Each
 * download runs on its own connection, so N concurrent transfers use N connections. A connection whose transfer
 * ended in good order (the server confirmed it with 226) is kept and used for the next file, as is the listing's: a
 * run logs in about N times, not once per file — each login costs several round trips, which over a WAN dominate
 * small files. {@link #releaseConnections()} logs the kept ones out at the end of an invocation.
 */
public final class FtpRemoteFileSource implements RemoteFileSource {

    private static final long LIST_PRECISION_MILLIS = 60_000;
    private static final long LIST_DAY_MILLIS = 86_400_000;
    /** Directory levels walked below the remote directory at most: a backstop against loops no check recognises. */
    static final int MAX_DEPTH = 32;

    private final SyncConfig config;
    private final FtpConnector connector;
    private final PathPatterns patterns;
    private final ConcurrentLinkedDeque<FTPClient> idle = new ConcurrentLinkedDeque<>();

    public FtpRemoteFileSource(SyncConfig config, FtpConnector connector) {
        this.config = config;
        this.connector = connector;
        this.patterns = new PathPatterns(config.patterns());
    }

    @Override
    public RemoteListing list() throws IOException {
        return list(() -> true);
    }

    /**
     * The walk, newest directory first: of the directories found and not yet listed, the one whose listed
     * modification time is the latest is listed next (one without a time counts as newest; equal times in the order
     * found, so a server that sends no directory times is walked breadth-first). Creating or renaming a file updates
     * its directory's time, so the directories that hold new files come before those unchanged since an earlier run
     * copied them — when the clock stops the walk, what it leaves out is the old part of the tree, not (as in the
     * name order servers list in, oldest date first) the newest. The top directory is always listed (it is also the
     * check that FTP_REMOTE_DIR exists); before each further listing (a directory, or the one more level that tells a
     * symbolic-link loop) and before each SIZE, {@code keepGoing} is asked, and once it said stop it is not asked
     * again: the directories still queued are returned as not walked, the files still without a size as not sized.
     * The entries of the directory being read when the clock stops the walk are kept (no further round trip).
     */
    @Override
    public RemoteListing list(BooleanSupplier keepGoing) throws IOException {
        FTPClient client = connector.connect();
        try {
            boolean mlsd = client.hasFeature("MLST");
            boolean sizeAnnounced = client.hasFeature("SIZE");
            BooleanSupplier going = new BooleanSupplier() {
                private boolean stopped;

                @Override
                public boolean getAsBoolean() {
                    stopped = stopped || !keepGoing.getAsBoolean();
                    return !stopped;
                }
            };
            List<String> notWalked = new ArrayList<>();
            int notSized = 0;
            List<RemoteFile> files = new ArrayList<>();
            List<FileFailure> unreadable = new ArrayList<>();
            List<FileFailure> skipped = new ArrayList<>();
            int notMatching = 0;
            Set<String> uniques = new HashSet<>(); // MLSD "unique" facts of the directories walked (RFC 3659)
            boolean sendsUnique = false; // then those facts, and only they, recognise a directory seen before
            PriorityQueue<Dir> dirs = new PriorityQueue<>(NEWEST_FIRST);
            long found = 0;
            dirs.add(new Dir("", 0, null, Long.MAX_VALUE, found++));
            while (!dirs.isEmpty()) {
                if (!dirs.peek().rel.isEmpty() && !going.getAsBoolean()) {
                    break; // out of time: what is still queued is reported as not walked
                }
                Dir dir = dirs.poll();
                String abs = dir.rel.isEmpty() ? config.ftpRemoteDir() : config.absolutePath(dir.rel);
                FTPFile[] entries = mlsd ? client.mlistDir(abs) : client.listFiles(abs);
                if (entries != null && entries.length == 0 && !mlsd && dir.rel.isEmpty() && isPositive(client)
                        && !client.changeWorkingDirectory(abs)) {
                    // vsftpd answers "LIST <no such directory>" with an empty listing and 226: a mistyped
                    // FTP_REMOTE_DIR would read as an empty directory on every run, without a word
                    throw new IOException("Cannot list FTP directory '" + abs + "': the server lists it as empty, but "
                            + "it is not a directory the user can enter (" + FtpConnector.reply(client)
                            + "); check FTP_REMOTE_DIR");
                }
                if (entries == null || (entries.length == 0 && !isPositive(client))) {
                    if (dir.rel.isEmpty() || !client.isConnected()) {
                        throw new IOException("Cannot list FTP directory '" + abs + "': " + FtpConnector.reply(client));
                    }
                    // one sub-directory the user may not read must not stop the others from being synced
                    unreadable.add(new FileFailure(dir.rel + "/", "cannot list this directory: "
                            + FtpConnector.reply(client) + " (its files are not synced)"));
                    continue;
                }
                byte[] signature = signature(entries);
                for (FTPFile e : entries) {
                    sendsUnique |= fact(e, "unique") != null;
                }
                Repeat repeat = sendsUnique ? null : dir.repeats(signature);
                if (repeat != null && !going.getAsBoolean()) {
                    // no time for the one more listing that tells a loop from a real chain
                    notWalked.add(dir.rel + "/");
                    break;
                }
                if (repeat != null && isLoop(client, mlsd, dir, repeat)) {
                    skipped.add(new FileFailure(dir.rel + "/", "lists exactly as '" + repeat.ancestorPath()
                            + "' above it, and so does the level below: the same directory again through a symbolic"
                            + " link; not walked"));
                    continue;
                }
                for (FTPFile e : entries) {
                    String unique = fact(e, "unique");
                    if (unique != null && fact(e, "type").equals("cdir")) {
                        uniques.add(unique);
                    }
                    if (e == null || skip(e)) {
                        continue;
                    }
                    String childRel = dir.rel.isEmpty() ? e.getName() : dir.rel + "/" + e.getName();
                    if (e.isDirectory()) {
                        if (!config.recursive()) {
                            continue;
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
                        if (patterns.matches(childRel)) {
                            if (e.getSize() < 0 && sizeAnnounced && !going.getAsBoolean()) {
                                notSized++; // its SIZE would be a round trip past the clock
                                continue;
                            }
                            files.add(mlsd ? fromMachineListing(client, childRel, e, false)
                                    : fromList(client, childRel, e, false));
                        } else {
                            notMatching++;
                        }
                    }
                }
            }
            while (!dirs.isEmpty()) {
                notWalked.add(dirs.poll().rel + "/"); // in the order the walk would have taken them
            }
            idle.push(client);
            return new RemoteListing(files, notMatching, unreadable, skipped, notWalked, notSized,
                    mlsd ? "MLSD" : "LIST");
        } catch (IOException | RuntimeException e) {
            FtpConnector.disconnectQuietly(client);
            throw e;
        }
    }

    /** The walk's order: the latest modification time first, then the order found. */
    private static final Comparator<Dir> NEWEST_FIRST = Comparator.<Dir>comparingLong(Dir::modified).reversed()
            .thenComparingLong(Dir::found);

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
     * Whether a directory that lists exactly like one of its ancestors is that ancestor again (a loop through a
     * symbolic link) rather than a real chain made in one go ({@code mkdir -p 2024/01/01}: {@code 2024/} and
     * {@code 2024/01/} both list one {@code 01} of the same time). If it is the ancestor, its {@code step} child
     * lists like the ancestor's: one more listing decides. (A chain of three identical levels of directories alone
     * would still be taken for a loop; the depth cap is the backstop the other way.)
     */
    private boolean isLoop(FTPClient client, boolean mlsd, Dir dir, Repeat repeat) throws IOException {
        String probe = config.absolutePath(dir.rel + "/" + repeat.step());
        FTPFile[] below = mlsd ? client.mlistDir(probe) : client.listFiles(probe);
        if (below == null || (below.length == 0 && !isPositive(client))) {
            return false;
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

    @Override
    public Download open(String relativePath) throws IOException {
        FTPClient kept = idle.poll();
        if (kept != null) {
            try {
                return new FtpDownload(kept, relativePath);
            } catch (IOException | RuntimeException e) {
                // e.g. the server dropped the kept session (idle timeout, 421): one try on a new connection
                FtpConnector.disconnectQuietly(kept);
            }
        }
        FTPClient client;
        try {
            client = connector.connect();
        } catch (IOException | SyncException e) {
            throw new SessionUnavailableException(e.getMessage(), null);
        }
        try {
            return new FtpDownload(client, relativePath);
        } catch (IOException | RuntimeException e) {
            FtpConnector.disconnectQuietly(client);
            throw e;
        }
    }

    @Override
    public void releaseConnections() {
        for (FTPClient client; (client = idle.poll()) != null; ) {
            try {
                client.logout();
            } catch (IOException ignored) {
                // the session ends either way
            } finally {
                FtpConnector.disconnectQuietly(client);
            }
        }
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

    /**
     * A LIST entry as a file, with the latest time its listed time may stand for. A size commons-net could not read
     * from the line (a size beyond a long) is asked with SIZE on the same session, as for an MLSD entry; a time it
     * could not read (a month name in another language, an ISO date) with MDTM when {@code askTime} (the check before
     * a transfer), else later and only for files to copy ({@link #completeTimes}) — MDTM read in FTP_SERVER_TIMEZONE,
     * like LIST and like the check before a transfer on servers without MLST. What stays unknown is -1 or null, and
     * such a file is not copied.
     */
    private RemoteFile fromList(FTPClient client, String rel, FTPFile e, boolean askTime) throws IOException {
        String abs = config.absolutePath(rel);
        long size = e.getSize() >= 0 ? e.getSize() : SizeAndMdtm.size(client, abs);
        Instant modified = e.getTimestamp() != null ? latestModification(e, false)
                : askTime ? SizeAndMdtm.modified(client, abs, config.ftpServerTimeZone()) : null;
        return new RemoteFile(rel, size, modified);
    }

    /**
     * An MLSD/MLST entry as a file. A server may leave any fact out ({@link MlstFacts} asked for the needed ones): a
     * size the entry lacks is asked with SIZE on the same session, a time with MDTM when {@code askTime} (the check
     * before a transfer), else later and only for files to copy ({@link #completeTimes}) — read as UTC, like MLSD:
     * both are RFC 3659's. What the server cannot tell that way stays unknown (-1, null), and such a file is not copied.
     */
    private RemoteFile fromMachineListing(FTPClient client, String rel, FTPFile e, boolean askTime) throws IOException {
        String abs = config.absolutePath(rel);
        long size = e.getSize() >= 0 ? e.getSize() : SizeAndMdtm.size(client, abs);
        Instant modified = e.getTimestamp() != null ? latestModification(e, true)
                : askTime ? SizeAndMdtm.modified(client, abs, ZoneOffset.UTC) : null;
        return new RemoteFile(rel, size, modified);
    }

    /**
     * MDTM for each file without a time, on one session — the listing's, kept for reuse; when the server has dropped
     * it (while the bucket was listed, or in the middle of the pass), one new session goes on from the file it was
     * asking, keeping the answers already had (it used to ask again from the first file: on a big directory over a
     * flaky link that could spend the run's time on answers it had, every run). A new session that drops as well
     * fails the pass, as before. Read as UTC when the server lists with MLSD (RFC 3659), else in FTP_SERVER_TIMEZONE,
     * as in the listing. Without MDTM in FEAT, or refused, the time stays null. {@code keepGoing} is asked before each
     * MDTM and before a new session; once it says stop, the files not asked yet are returned as not reached.
     */
    @Override
    public Times completeTimes(List<RemoteFile> files, BooleanSupplier keepGoing) throws IOException {
        if (files.stream().allMatch(f -> f.modified() != null)) {
            return new Times(files, List.of());
        }
        MdtmPass pass = new MdtmPass(files, keepGoing);
        FTPClient kept = idle.poll();
        if (kept != null) {
            try {
                pass.askOn(kept);
                idle.push(kept);
                return pass.times();
            } catch (IOException | RuntimeException e) {
                FtpConnector.disconnectQuietly(kept); // dropped: one new session goes on where this one stopped
            }
        }
        if (!keepGoing.getAsBoolean()) {
            // no new session when nothing may be asked any more: the answers had count, the rest is not reached
            pass.stop();
            return pass.times();
        }
        FTPClient client = connector.connect();
        try {
            pass.askOn(client);
            idle.push(client);
            return pass.times();
        } catch (IOException | RuntimeException e) {
            FtpConnector.disconnectQuietly(client);
            throw e;
        }
    }

    /**
     * One MDTM pass over the files given, across sessions: the files decided so far (asked, or with a time already)
     * and the next one to decide, so a session that drops leaves the answers it gave.
     */
    private final class MdtmPass {

        private final List<RemoteFile> files;
        private final BooleanSupplier keepGoing;
        private final List<RemoteFile> completed;
        /** The first file not decided yet. */
        private int next;
        /** {@code keepGoing} said stop: the files from {@link #next} on without a time are not reached. */
        private boolean stopped;

        MdtmPass(List<RemoteFile> files, BooleanSupplier keepGoing) {
            this.files = files;
            this.keepGoing = keepGoing;
            this.completed = new ArrayList<>(files.size());
        }

        /** Asks on {@code client} from {@link #next} on; a file is decided only once its answer has arrived. */
        void askOn(FTPClient client) throws IOException {
            boolean mdtm = client.hasFeature("MDTM");
            ZoneId zone = client.hasFeature("MLST") ? ZoneOffset.UTC : config.ftpServerTimeZone();
            while (!stopped && next < files.size()) {
                RemoteFile f = files.get(next);
                if (f.modified() == null && mdtm) {
                    if (!keepGoing.getAsBoolean()) {
                        stopped = true;
                        break;
                    }
                    f = new RemoteFile(f.path(), f.size(), SizeAndMdtm.modified(client, config.absolutePath(f.path()), zone));
                } // else a time already, or no MDTM to ask (not announced): no round trip, time unknown
                completed.add(f);
                next++;
            }
        }

        void stop() {
            stopped = true;
        }

        /** The files decided, then those not reached: once stopped, a file after them with a time is completed too. */
        Times times() {
            List<RemoteFile> done = new ArrayList<>(completed);
            List<RemoteFile> notReached = new ArrayList<>();
            for (RemoteFile f : files.subList(next, files.size())) {
                (f.modified() != null ? done : notReached).add(f);
            }
            return new Times(done, notReached);
        }
    }

    /**
     * The latest time the entry may have been modified: MLSD's exact time; for LIST the end of the minute it shows —
     * or of the day, when it shows a year instead of a time. {@code ls} does that for files older than six months
     * and for files whose time is in the future: one written right now by a writer whose clock runs a few seconds
     * ahead of the server's is listed as {@code Nov 27 2026}, which read as midnight made it look hours old and let
     * the minimum-age rule pass a file still being written. Null for an entry without a time (MDTM may tell it).
     */
    static Instant latestModification(FTPFile e, boolean exactTime) {
        Calendar ts = e.getTimestamp();
        if (ts == null) {
            return null;
        }
        if (exactTime) {
            return ts.toInstant();
        }
        return ts.toInstant().plusMillis(ts.isSet(Calendar.HOUR_OF_DAY) ? LIST_PRECISION_MILLIS : LIST_DAY_MILLIS);
    }

    private final class FtpDownload implements Download {

        private final FTPClient client;
        private final String relativePath;
        private final String absolutePath;
        private final Optional<RemoteFile> current;
        private InputStream data;
        private boolean confirmed;
        private boolean inGoodOrder = true;
        private boolean closed;

        FtpDownload(FTPClient client, String relativePath) throws IOException {
            this.client = client;
            this.relativePath = relativePath;
            this.absolutePath = config.absolutePath(relativePath);
            this.current = stat();
        }

        private Optional<RemoteFile> stat() throws IOException {
            if (client.hasFeature("MLST")) {
                FTPFile f = client.mlistFile(absolutePath);
                return f == null || !f.isFile() ? Optional.empty()
                        : Optional.of(fromMachineListing(client, relativePath, f, true));
            }
            if (client.hasFeature("SIZE") && client.hasFeature("MDTM")) {
                // not "LIST <path>": servers read glob characters in it ("br[1].csv.gz" would never be found)
                long size = SizeAndMdtm.size(client, absolutePath);
                if (size < 0) {
                    return Optional.empty(); // 550: gone, or not a plain file
                }
                Instant modified = SizeAndMdtm.modified(client, absolutePath, config.ftpServerTimeZone());
                if (modified != null) { // else an answer of another form: the listing below decides
                    return Optional.of(new RemoteFile(relativePath, size, modified));
                }
            }
            // no SIZE/MDTM either: the parent's listing, searched for the name — entered with CWD and listed without
            // an argument, so that the server reads no glob characters in a name or a directory ("br[1]/")
            int slash = absolutePath.lastIndexOf('/');
            String parent = slash <= 0 ? "/" : absolutePath.substring(0, slash);
            String name = absolutePath.substring(slash + 1);
            if (!client.changeWorkingDirectory(parent)) {
                return Optional.empty();
            }
            FTPFile[] found = client.listFiles();
            for (FTPFile f : found == null ? new FTPFile[0] : found) {
                if (f != null && name.equals(f.getName()) && f.isFile()) {
                    return Optional.of(fromList(client, relativePath, f, true));
                }
            }
            return Optional.empty();
        }

        @Override
        public Optional<RemoteFile> current() {
            return current;
        }

        @Override
        public InputStream stream() throws IOException {
            if (data != null) {
                throw new IllegalStateException("stream() already called");
            }
            InputStream in;
            try {
                in = client.retrieveFileStream(absolutePath);
            } catch (IOException | RuntimeException e) {
                // e.g. the data connection's TLS handshake failed after the server's 150: its reply to RETR (522,
                // 425) is still unread, and the next file's first command would read it as its own
                inGoodOrder = false;
                throw e;
            }
            if (in == null) {
                inGoodOrder = false;
                throw new IOException("FTP server refused to send '" + absolutePath + "': " + FtpConnector.reply(client));
            }
            data = in;
            // commons-net hands out the bare socket stream for binary transfers; callers such as the SDK's body copy
            // read 4 KiB at a time, which would be one read(2) per 4 KiB (≈ 250,000 per GB)
            return new FilterInputStream(new BufferedInputStream(in, FtpConnector.BUFFER)) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b < 0) {
                        confirmEnd();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n < 0) {
                        confirmEnd();
                    }
                    return n;
                }

                @Override
                public void close() {
                    // the download owns the data connection; see FtpDownload.close()
                }
            };
        }

        /** At the end of the data: the server must confirm the transfer (226) before the bytes count as complete. */
        private void confirmEnd() throws IOException {
            if (confirmed) {
                return;
            }
            data.close();
            confirmed = true;
            inGoodOrder = false; // until the server confirms
            if (!client.completePendingCommand()) {
                throw new IOException("FTP transfer of '" + absolutePath + "' did not complete: " + FtpConnector.reply(client));
            }
            inGoodOrder = true;
        }

        /** Keeps the connection for the next file when the transfer ended in good order, else drops it. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (data != null && !confirmed) {
                // an unfinished transfer: closing the data connection aborts it (the server answers 426); such a
                // session is not trusted with another file
                confirmed = true;
                inGoodOrder = false;
                try {
                    data.close();
                } catch (IOException ignored) {
                    // the connection is dropped below
                }
            }
            if (inGoodOrder && client.isConnected()) {
                idle.push(client);
            } else {
                FtpConnector.disconnectQuietly(client);
            }
        }
    }
}
