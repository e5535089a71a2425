package dev.netmeta.sync;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;

/**
 * {@link RemoteFileSource} over FTP/FTPS with Apache Commons Net. Listing uses MLSD (exact sizes and UTC
 * modification times) when the server announces MLST in FEAT, LIST otherwise (minute precision: the listed
 * time is moved to the end of its minute so the minimum-age rule stays on the safe side). Each download runs on
 * its own connection, so N concurrent transfers use N connections. A connection whose transfer ended in good order
 * (the server confirmed it with 226) is kept and used for the next file, as is the listing's: a run logs in about
 * N times, not once per file — each login costs several round trips, which over a WAN dominate small files.
 * {@link #releaseConnections()} logs the kept ones out at the end of an invocation.
 */
public final class FtpRemoteFileSource implements RemoteFileSource {

    private static final long LIST_PRECISION_MILLIS = 60_000;

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
    public List<RemoteFile> list() throws IOException {
        FTPClient client = connector.connect();
        try {
            boolean mlsd = client.hasFeature("MLST");
            List<RemoteFile> files = new ArrayList<>();
            Deque<String> dirs = new ArrayDeque<>();
            dirs.add("");
            while (!dirs.isEmpty()) {
                String rel = dirs.poll();
                String abs = rel.isEmpty() ? config.ftpRemoteDir() : config.absolutePath(rel);
                FTPFile[] entries = mlsd ? client.mlistDir(abs) : client.listFiles(abs);
                if (entries == null || (entries.length == 0 && !isPositive(client))) {
                    throw new IOException("Cannot list FTP directory '" + abs + "': " + FtpConnector.reply(client));
                }
                for (FTPFile e : entries) {
                    if (e == null || skip(e)) {
                        continue;
                    }
                    String childRel = rel.isEmpty() ? e.getName() : rel + "/" + e.getName();
                    if (e.isDirectory()) {
                        if (config.recursive()) {
                            dirs.add(childRel);
                        }
                    } else if (e.isFile() && patterns.matches(childRel)) {
                        files.add(toRemoteFile(childRel, e, mlsd));
                    }
                }
            }
            idle.push(client);
            return files;
        } catch (IOException | RuntimeException e) {
            FtpConnector.disconnectQuietly(client);
            throw e;
        }
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

    private static RemoteFile toRemoteFile(String rel, FTPFile e, boolean exactTime) {
        Calendar ts = e.getTimestamp();
        Instant modified = ts == null ? Instant.now() : ts.toInstant(); // unknown time counts as "just written"
        if (!exactTime && ts != null) {
            modified = modified.plusMillis(LIST_PRECISION_MILLIS);
        }
        return new RemoteFile(rel, e.getSize(), modified);
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
                return f == null || !f.isFile() ? Optional.empty() : Optional.of(toRemoteFile(relativePath, f, true));
            }
            FTPFile[] found = client.listFiles(absolutePath);
            if (found == null || found.length != 1 || found[0] == null || !found[0].isFile()) {
                return Optional.empty();
            }
            return Optional.of(toRemoteFile(relativePath, found[0], false));
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
            InputStream in = client.retrieveFileStream(absolutePath);
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
