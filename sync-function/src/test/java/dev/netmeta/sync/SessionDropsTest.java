package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLException;
import org.apache.commons.net.MalformedServerReplyException;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.junit.jupiter.api.Test;

/**
 * Which failures of a round trip mean the session is gone, so that the walk goes on in a new one — and which are
 * answers or errors a new session would only repeat (or hide).
 */
class SessionDropsTest {

    @Test
    void aClosedBrokenOrSilentConnectionIsADrop() {
        assertThat(SessionDrops.dropped(new FTPConnectionClosedException("Connection closed without indication."))).isTrue();
        assertThat(SessionDrops.dropped(new FTPConnectionClosedException("FTP response 421 received.  Server closed"
                + " connection."))).as("421: the server says it closes the session").isTrue();
        assertThat(SessionDrops.dropped(new SocketException("Connection reset"))).isTrue();
        assertThat(SessionDrops.dropped(new SocketException("Broken pipe"))).isTrue();
        assertThat(SessionDrops.dropped(new ConnectException("Connection refused"))).as("the data connection").isTrue();
        assertThat(SessionDrops.dropped(new EOFException())).isTrue();
        assertThat(SessionDrops.dropped(new SocketTimeoutException("Read timed out"))).isTrue();
        assertThat(SessionDrops.dropped(new SSLException("Connection reset", new SocketException("Connection reset"))))
                .as("the TLS layer of an FTPS session").isTrue();
        assertThat(SessionDrops.dropped(new UncheckedIOException(new EOFException()))).isTrue();
    }

    @Test
    void anAnswerOrAnErrorOfTheSyncsOwnIsNoDrop() {
        assertThat(SessionDrops.dropped(new IOException("Cannot list FTP directory '/in': 550 No such directory")))
                .isFalse();
        assertThat(SessionDrops.dropped(new IOException("FTP server answered SIZE of '/a' with 'x'",
                new NumberFormatException("For input string: \"x\"")))).isFalse();
        assertThat(SessionDrops.dropped(new MalformedServerReplyException("Truncated server reply: '2'"))).isFalse();
        assertThat(SessionDrops.dropped(new SSLException("Tag mismatch"))).isFalse();
        assertThat(SessionDrops.dropped(new SyncException("FTP login failed for user 'u' on h:21: 530 Login incorrect.",
                null))).isFalse();
    }

    @Test
    void theFirstTenDropsAreNamedAndAllCounted() {
        SessionDrops drops = SessionDrops.NONE;
        for (int i = 1; i <= 12; i++) {
            drops = drops.plus("MLSD /in/d" + i, new FTPConnectionClosedException("Connection closed without indication."));
        }
        assertThat(drops.count()).isEqualTo(12);
        assertThat(drops.named()).hasSize(SessionDrops.NAMED).first()
                .isEqualTo("MLSD /in/d1: FTPConnectionClosedException: Connection closed without indication.");
    }
}
