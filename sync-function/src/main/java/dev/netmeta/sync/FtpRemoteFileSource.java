package dev.netmeta.sync;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.BooleanSupplier;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;

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
     * The walk ({@link DirectoryWalk}): newest directory first, watching the clock — before each listing after the
     * top directory's and before each SIZE, {@code keepGoing} is asked — and going on in a new session from the
     * listing or SIZE it was at when the server drops its session; the session it ends on is kept for reuse.
     */
    @Override
    public RemoteListing list(BooleanSupplier keepGoing) throws IOException {
        return new DirectoryWalk(config, patterns, keepGoing).walk(connector::connect, idle::push);
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

    /**
     * A listed entry as a file, for the check before a transfer ({@link DirectoryWalk} reads the walk's entries), with
     * the latest time its listed time may stand for. A size the entry lacks (an MLST fact the server left out, a LIST
     * size beyond a long) is asked with SIZE on the same session; a time with MDTM — read as UTC for an MLST entry (both
     * are RFC 3659's; {@link MlstFacts} asked for the needed facts), else in FTP_SERVER_TIMEZONE like LIST and like the
     * check before a transfer on servers without MLST (a LIST time commons-net could not read: a month name in another
     * language, an ISO date). What stays unknown is -1 or null, and such a file is not copied.
     */
    private RemoteFile fromListing(FTPClient client, String rel, FTPFile e, boolean mlst) throws IOException {
        String abs = config.absolutePath(rel);
        long size = e.getSize() >= 0 ? e.getSize() : SizeAndMdtm.size(client, abs);
        Instant modified = e.getTimestamp() != null ? latestModification(e, mlst)
                : SizeAndMdtm.modified(client, abs, mlst ? ZoneOffset.UTC : config.ftpServerTimeZone());
        return new RemoteFile(rel, size, modified);
    }

    /**
     * MDTM for each file without a time, on one session — the listing's, kept for reuse; when the server has dropped
     * it (while the bucket was listed, or in the middle of the pass), a new session goes on from the file it was
     * asking, keeping the answers already had (it used to ask again from the first file: on a big directory over a
     * flaky link that could spend the run's time on answers it had, every run). As many new sessions as the directory
     * walk gets, by its rule ({@link SessionDrops#requireProgress}): the first drop always gets one, a later one only
     * when the session that dropped had answered at least one MDTM — a server that drops a new session before its first
     * answer fails the pass, naming both drops. A drop the pass went on after is in {@link Times#drops()}, for the run's
     * log and summary. Read as UTC when the server lists with MLSD (RFC 3659), else in FTP_SERVER_TIMEZONE, as in the
     * listing. Without MDTM in FEAT, or refused, the time stays null. {@code keepGoing} is asked before each MDTM and
     * before a new session; once it says stop, the files not asked yet are returned as not reached.
     */
    @Override
    public Times completeTimes(List<RemoteFile> files, BooleanSupplier keepGoing) throws IOException {
        if (files.stream().allMatch(f -> f.modified() != null)) {
            return new Times(files, List.of());
        }
        MdtmPass pass = new MdtmPass(files, keepGoing);
        FTPClient client = idle.poll();
        boolean kept = client != null;
        while (true) {
            if (client == null) {
                if (!keepGoing.getAsBoolean()) {
                    // no new session when nothing may be asked any more: the answers had count, the rest is not reached
                    pass.stop();
                    return pass.times();
                }
                client = connector.connect();
            }
            int answeredBefore = pass.next;
            try {
                pass.askOn(client);
                idle.push(client);
                return pass.times();
            } catch (IOException | RuntimeException e) {
                FtpConnector.disconnectQuietly(client);
                client = null;
                if (kept) {
                    // the listing's session, idle while the bucket was listed: whatever failed, one new session
                    kept = false;
                    pass.dropped(e, true);
                } else if (!SessionDrops.dropped(e)) {
                    throw e;
                } else {
                    pass.dropped(e, pass.next > answeredBefore);
                }
            }
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
        private SessionDrops drops = SessionDrops.NONE;
        private String lastDropAt;

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

        /**
         * The session asking {@link #next}'s MDTM failed: named in the run's log and summary when it dropped; throws
         * when the pass cannot go on ({@link SessionDrops#requireProgress}: no answer since the drop before).
         */
        void dropped(Exception e, boolean progress) throws IOException {
            if (SessionDrops.dropped(e) && next < files.size()) {
                String at = "MDTM " + config.absolutePath(files.get(next).path());
                drops.requireProgress("MDTM pass", at, lastDropAt, e, progress);
                drops = drops.plus(at, e);
                lastDropAt = at;
            }
        }

        /** The files decided, then those not reached: once stopped, a file after them with a time is completed too. */
        Times times() {
            List<RemoteFile> done = new ArrayList<>(completed);
            List<RemoteFile> notReached = new ArrayList<>();
            for (RemoteFile f : files.subList(next, files.size())) {
                (f.modified() != null ? done : notReached).add(f);
            }
            return new Times(done, notReached, drops);
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
            boolean mlst = client.hasFeature("MLST");
            if (mlst && !FtpGlobs.in(absolutePath)) {
                FTPFile f = client.mlistFile(absolutePath);
                return f == null || !f.isFile() ? Optional.empty()
                        : Optional.of(fromListing(client, relativePath, f, true));
            }
            if (client.hasFeature("SIZE") && client.hasFeature("MDTM")) {
                // not "LIST <path>" nor "MLST <path>": servers read glob characters in it ("br[1].csv.gz" would never
                // be found; FtpGlobs)
                long size = SizeAndMdtm.size(client, absolutePath);
                if (size < 0) {
                    return Optional.empty(); // 550: gone, or not a plain file
                }
                Instant modified = SizeAndMdtm.modified(client, absolutePath,
                        mlst ? ZoneOffset.UTC : config.ftpServerTimeZone());
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
            int reply = client.getReplyCode();
            if (found != null && !FTPReply.isPositiveCompletion(reply)
                    && (found.length > 0 || reply == FTPReply.TRANSFER_ABORTED || reply == FTPReply.ACTION_ABORTED)) {
                // the listing was cut off (426/451, with or without entries), and a missing name would read as a file
                // gone; an empty listing with another refusal (450/550 "No files found" of an empty directory) is one
                throw new IOException("the listing of '" + parent + "' (the check of '" + name + "' before its"
                        + " transfer) was cut off: " + FtpConnector.reply(client));
            }
            for (FTPFile f : found == null ? new FTPFile[0] : found) {
                if (f != null && name.equals(f.getName()) && f.isFile()) {
                    return Optional.of(fromListing(client, relativePath, f, false));
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
