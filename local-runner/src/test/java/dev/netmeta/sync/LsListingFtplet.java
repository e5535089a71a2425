package dev.netmeta.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.ftplet.Ftplet;

/**
 * MINA FtpServer made to look like vsftpd, a server without MLSD/MLST: {@code FEAT} without {@code MLST} (and without
 * {@code SIZE}/{@code MDTM} unless {@code sizeAndMdtm}), {@code LIST} answered with vsftpd's {@code ls -l} lines — the
 * time in {@code zone} ({@code use_localtime}), {@code HH:mm} for the last 182 days and the year instead for older
 * files and files in the future, symbolic links as {@code l} lines with {@code -> target}, names beginning with a dot
 * left out unless {@code dotNamesListed} ({@code force_dot_files}), with {@code totalLine} a first line
 * {@code total N} as GNU ls and ProFTPD send — and {@code MDTM} in {@code zone} too. A
 * {@code LIST} argument with glob characters or an option is refused ({@code 550}): vsftpd would read it as a pattern,
 * which the sync never sends (FtpGlobs). Commands go through {@code inner} first (a {@link GrowingFileFtplet}).
 */
final class LsListingFtplet extends DefaultFtplet {

    private static final long RECENT_SECONDS = 60L * 60 * 24 * 182; // vsftpd's "6 months"
    private static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("MMM dd  yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter MDTM = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Path root;
    private final ZoneId zone;
    private final boolean sizeAndMdtm;
    private final boolean dotNamesListed;
    private final boolean totalLine;
    private final Ftplet inner;
    /** The commands the server received (upper case), so a test can tell this server's manner was in effect. */
    final Set<String> commands = ConcurrentHashMap.newKeySet();

    /** {@code root}: the user's home on disk. */
    LsListingFtplet(Path root, ZoneId zone, boolean sizeAndMdtm, boolean dotNamesListed, boolean totalLine,
                    Ftplet inner) {
        this.root = root;
        this.zone = zone;
        this.sizeAndMdtm = sizeAndMdtm;
        this.dotNamesListed = dotNamesListed;
        this.totalLine = totalLine;
        this.inner = inner;
    }

    @Override
    public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException, IOException {
        FtpletResult first = inner.beforeCommand(session, request);
        if (first != null && first != FtpletResult.DEFAULT) { // DefaultFtplet answers null for "go on"
            return first;
        }
        String cmd = request.getCommand().toUpperCase(Locale.ROOT);
        commands.add(cmd);
        switch (cmd) {
            case "FEAT" -> session.write(new DefaultFtpReply(211, "Features:\n EPSV\n" + (sizeAndMdtm ? " MDTM\n" : "")
                    + " PASV\n REST STREAM\n" + (sizeAndMdtm ? " SIZE\n" : "") + " TVFS\n UTF8\nEnd"));
            case "MLSD", "MLST" -> session.write(new DefaultFtpReply(500, "Unknown command."));
            case "SIZE" -> {
                if (!sizeAndMdtm) {
                    session.write(new DefaultFtpReply(500, "Unknown command."));
                } else {
                    return FtpletResult.DEFAULT; // MINA's own
                }
            }
            case "MDTM" -> mdtm(session, request);
            case "LIST" -> list(session, request);
            default -> {
                return FtpletResult.DEFAULT;
            }
        }
        return FtpletResult.SKIP;
    }

    private void mdtm(FtpSession session, FtpRequest request) throws FtpException {
        Path file = request.hasArgument() ? onDisk(session, request.getArgument()) : null;
        if (!sizeAndMdtm) {
            session.write(new DefaultFtpReply(500, "Unknown command."));
        } else if (file == null || !Files.isRegularFile(file)) {
            session.write(new DefaultFtpReply(550, "Could not get file modification time."));
        } else {
            try {
                Instant t = Files.getLastModifiedTime(file).toInstant();
                session.write(new DefaultFtpReply(213, MDTM.format(t.atZone(zone))));
            } catch (IOException e) {
                session.write(new DefaultFtpReply(550, "Could not get file modification time."));
            }
        }
    }

    private void list(FtpSession session, FtpRequest request) throws FtpException, IOException {
        String arg = request.hasArgument() ? request.getArgument() : "";
        if (arg.startsWith("-") || arg.chars().anyMatch(c -> c == '*' || c == '?' || c == '[')) {
            session.write(new DefaultFtpReply(550, "LIST argument read as a pattern or option: " + arg));
            return;
        }
        Path dir = onDisk(session, arg);
        StringBuilder lines = new StringBuilder();
        if (Files.isDirectory(dir)) { // vsftpd lists a missing directory as empty
            for (String line : lines(dir, Instant.now())) {
                lines.append(line).append("\r\n");
            }
        }
        session.write(new DefaultFtpReply(150, "Here comes the directory listing."));
        try {
            session.getDataConnection().openConnection().transferToClient(session, lines.toString());
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            session.getDataConnection().closeDataConnection();
        }
        session.write(new DefaultFtpReply(226, "Directory send OK."));
    }

    /** {@code ls -l} lines of {@code dir} as vsftpd prints them. */
    List<String> lines(Path dir, Instant now) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && !dotNamesListed) {
                    continue;
                }
                boolean link = Files.isSymbolicLink(p);
                boolean directory = !link && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                Instant t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
                long size = link ? Files.readSymbolicLink(p).toString().length()
                        : directory ? 4096 : Files.size(p);
                boolean recent = !t.isAfter(now) && Duration.between(t, now).getSeconds() <= RECENT_SECONDS;
                String date = (recent ? RECENT : OLD).format(t.atZone(zone));
                String mode = link ? "lrwxrwxrwx" : directory ? "drwxr-xr-x" : "-rw-r--r--";
                lines.add(String.format(Locale.ROOT, "%s    1 1000     1000     %12d %s %s%s", mode, size, date, name,
                        link ? " -> " + Files.readSymbolicLink(p) : ""));
            }
        }
        if (totalLine) {
            lines.add(0, "total " + lines.size() * 4);
        }
        return lines;
    }

    /** The path on disk of an FTP path: absolute (below the user's home) or relative to the working directory. */
    private Path onDisk(FtpSession session, String ftpPath) throws FtpException {
        String abs = ftpPath.startsWith("/") ? ftpPath
                : session.getFileSystemView().getWorkingDirectory().getAbsolutePath() + "/" + ftpPath;
        String rel = abs.replaceAll("^/+", "");
        return rel.isEmpty() ? root : root.resolve(rel);
    }
}
