package dev.netmeta.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;

/**
 * A writer that appends to a file between the sync's listing and its transfer, without timing games: once, when the
 * server receives the {@code MLST} (or {@code SIZE}) of the check right before the transfer ({@link RandomSyncCase.Change#AT_CHECK}) or
 * the {@code RETR} itself ({@link RandomSyncCase.Change#AT_RETR}) for that file, it appends {@code growBy} bytes
 * before MINA answers. {@link #grown} names the files it changed.
 */
final class GrowingFileFtplet extends DefaultFtplet {

    private final Path remoteDir;
    private final String ftpRemoteDir;
    private final Map<String, RandomSyncCase.Change> pending = new ConcurrentHashMap<>();
    final List<String> grown = new CopyOnWriteArrayList<>();
    private final int growBy;

    /** {@code remoteDir}: the directory on disk that the server shows as {@code ftpRemoteDir} ({@code FTP_REMOTE_DIR}). */
    GrowingFileFtplet(Path remoteDir, String ftpRemoteDir, Map<String, RandomSyncCase.Change> changes, int growBy) {
        this.remoteDir = remoteDir;
        this.ftpRemoteDir = ftpRemoteDir;
        this.pending.putAll(changes);
        this.growBy = growBy;
    }

    @Override
    public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException, IOException {
        String command = request.getCommand().toUpperCase(Locale.ROOT);
        // the check right before a transfer: MLST, or SIZE for a path with glob characters (FtpGlobs)
        RandomSyncCase.Change when = command.equals("MLST") || command.equals("SIZE") ? RandomSyncCase.Change.AT_CHECK
                : command.equals("RETR") ? RandomSyncCase.Change.AT_RETR : null;
        if (when != null && request.hasArgument()) {
            String argument = request.getArgument();
            for (Map.Entry<String, RandomSyncCase.Change> e : pending.entrySet()) {
                String path = e.getKey();
                boolean same = argument.equals(ftpRemoteDir + "/" + path) || argument.equals(path);
                if (same && e.getValue() == when && pending.remove(path, when)) {
                    Files.write(remoteDir.resolve(path), new byte[growBy], StandardOpenOption.APPEND);
                    grown.add(path);
                }
            }
        }
        return super.beforeCommand(session, request);
    }
}
