package dev.netmeta.sync;

import java.io.IOException;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPCmd;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPListParseEngine;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.parser.MLSxEntryParser;

/**
 * MLSD/MLST entries as RFC 3659 writes them. Its {@code modify} fact may carry any number of fraction digits
 * ({@code 20240101120000.123456}); commons-net reads exactly three ({@code .SSS}) and drops every other entry as
 * unparsable — the file then vanished from the listing without a word (not even {@code notMatching}), and a
 * {@code .5} was read as 5 ms instead of 500. The fraction is brought to milliseconds (padded, or cut) first.
 * {@link FtpConnector}'s clients read MLSD and MLST through this parser.
 */
final class MlsdEntries {

    /** The {@code modify} fact with a fraction, within the facts (before the first space, where the name starts). */
    private static final Pattern MODIFY_FRACTION = Pattern.compile("(?i)((?:^|;)\\s*modify=\\d{14})\\.(\\d+)(?=;|$)");

    static final MLSxEntryParser PARSER = new MLSxEntryParser() {
        @Override
        public FTPFile parseFTPEntry(String entry) {
            return super.parseFTPEntry(normalise(entry));
        }
    };

    private MlsdEntries() {
    }

    /** The entry with its {@code modify} fraction as exactly three digits (milliseconds); otherwise unchanged. */
    static String normalise(String entry) {
        if (entry == null) {
            return null;
        }
        int space = entry.indexOf(' ');
        String facts = space < 0 ? entry : entry.substring(0, space);
        Matcher m = MODIFY_FRACTION.matcher(facts);
        if (!m.find()) {
            return entry;
        }
        String millis = (m.group(2) + "00").substring(0, 3);
        String fixed = facts.substring(0, m.start()) + m.group(1) + "." + millis + facts.substring(m.end());
        return space < 0 ? fixed : fixed + entry.substring(space);
    }

    /** What {@link FTPClient#initiateMListParsing(String)} does, with {@link #PARSER}. */
    static FTPListParseEngine initiate(FTPClient client, DataConnection mlsd) throws IOException {
        Socket socket = mlsd.open();
        FTPListParseEngine engine = new FTPListParseEngine(PARSER);
        if (socket == null) {
            return engine;
        }
        try {
            engine.readServerList(socket.getInputStream(), client.getControlEncoding());
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the listing has been read (or failed) either way
            }
            client.completePendingCommand();
        }
        return engine;
    }

    /** What {@link FTPClient#mlistFile(String)} does, with {@link #PARSER}. */
    static FTPFile mlst(FTPClient client, String path) throws IOException {
        if (!FTPReply.isPositiveCompletion(client.sendCommand(FTPCmd.MLST, path))) {
            return null;
        }
        String[] lines = client.getReplyStrings();
        if (lines == null || lines.length < 2 || lines[1].isBlank()) {
            return null;
        }
        return PARSER.parseFTPEntry(lines[1].replaceAll("^\\s+", ""));
    }

    /** Opens the data connection of an MLSD command (commons-net's {@code _openDataConnection_} is protected). */
    @FunctionalInterface
    interface DataConnection {
        Socket open() throws IOException;
    }

    /** A plain FTP client that reads MLSD/MLST with {@link #PARSER}. */
    static final class PlainClient extends FTPClient {
        /** commons-net's, closing the data socket when the command fails ({@link KeepAliveSocketFactory#closedOnFailure}). */
        @Override
        protected Socket _openDataConnection_(String command, String arg) throws IOException {
            return KeepAliveSocketFactory.closedOnFailure(_socketFactory_, () -> super._openDataConnection_(command, arg));
        }

        @Override
        public FTPListParseEngine initiateMListParsing(String pathname) throws IOException {
            return initiate(this, () -> _openDataConnection_(FTPCmd.MLSD, pathname));
        }

        @Override
        public FTPFile mlistFile(String pathname) throws IOException {
            return MlsdEntries.mlst(this, pathname);
        }
    }

    /**
     * An explicit-FTPS client that reads MLSD/MLST with {@link #PARSER}; its data connections resume the control
     * connection's TLS session ({@link ResumingFtpsClient}).
     */
    static final class TlsClient extends ResumingFtpsClient {
        TlsClient(SSLContext context) {
            super(context);
        }

        @Override
        public FTPListParseEngine initiateMListParsing(String pathname) throws IOException {
            return initiate(this, () -> _openDataConnection_(FTPCmd.MLSD, pathname));
        }

        @Override
        public FTPFile mlistFile(String pathname) throws IOException {
            return MlsdEntries.mlst(this, pathname);
        }
    }
}
