package dev.netmeta.sync;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.MalformedServerReplyException;
import org.apache.commons.net.ftp.FTPConnectionClosedException;

/**
 * The listing's FTP sessions that the server (or the link) dropped while the run went on from where it was — the
 * directory walk on a new session, or stopped there by the clock; the MDTM pass likewise: how many, and the first
 * {@link #NAMED} of them with the command each was at and what the client saw.
 *
 * @param count every such drop
 * @param named the first {@link #NAMED}, e.g. {@code MLSD /in/2024/06: FTPConnectionClosedException: FTP response 421
 *              received.  Server closed connection.}
 */
public record SessionDrops(int count, List<String> named) {

    /** Drops named one by one; a server that drops every few commands must not make a log line of megabytes. */
    static final int NAMED = 10;

    static final SessionDrops NONE = new SessionDrops(0, List.of());

    public SessionDrops {
        named = List.copyOf(named);
    }

    /** These drops and one more, at {@code command}. */
    SessionDrops plus(String command, Throwable failure) {
        List<String> more = new ArrayList<>(named);
        if (more.size() < NAMED) {
            more.add(command + ": " + failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage()));
        }
        return new SessionDrops(count + 1, more);
    }

    /**
     * The rule after a drop, the directory walk's and the MDTM pass's: the first drop of the step always gets a new
     * session; a later one only when the session that dropped had answered at least one command ({@code progress}) —
     * so a server that answers a few commands per session gets the sessions it needs (the clock bounds them, asked
     * before each new session), while one that drops every new session before its first answer (or at the same command
     * every time) fails the step at the second drop instead of being logged into without end. Throws then, naming the
     * command each of the two sessions dropped at.
     *
     * @param step   {@code directory walk}, {@code MDTM pass}
     * @param at     the command the session dropped at
     * @param lastAt the command the session before it dropped at (when these drops are not {@link #NONE})
     */
    void requireProgress(String step, String at, String lastAt, Throwable drop, boolean progress) throws IOException {
        if (count > 0 && !progress) {
            String noun = step.substring(step.lastIndexOf(' ') + 1);
            throw new IOException("the FTP server dropped the " + step + "'s session at " + at + ", and the new"
                    + " session opened after it had dropped at " + lastAt + " dropped too before it answered"
                    + " anything (" + (count + 1) + " sessions dropped in this " + noun + "): the server or the link"
                    + " keeps closing the control connection; the " + noun + " cannot go on", drop);
        }
    }

    /**
     * Whether a round trip failed because the session is gone, so that only a new one can go on: the server closed
     * the control connection (commons-net's {@link FTPConnectionClosedException}: the end of the stream without a
     * reply, or a {@code 421} reply — with which a server says it closes the session: an idle or command limit, a
     * shutdown), the connection broke ({@link SocketException}: reset, broken pipe; {@link EOFException}), or an answer
     * did not come within FTP_TIMEOUT_MS ({@link SocketTimeoutException}: a NAT gateway that has forgotten the flow
     * says nothing; a reply arriving later would be read as the next command's). Also inside another exception (the
     * TLS layer of an FTPS session wraps the socket's) and on the session's data connection: commons-net leaves a
     * LIST whose data connection broke without reading its reply, so that session is out of step either way.
     *
     * <p>Not a drop: any reply the server gave ({@code 550 Permission denied} is an answer, not an exception, and a
     * refused login is a {@link SyncException}), a reply that makes no sense ({@link MalformedServerReplyException}),
     * and the sync's own errors (an unreadable SIZE answer, a remote directory that does not exist).
     */
    static boolean dropped(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MalformedServerReplyException) {
                return false;
            }
            if (t instanceof FTPConnectionClosedException || t instanceof SocketException || t instanceof EOFException
                    || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
