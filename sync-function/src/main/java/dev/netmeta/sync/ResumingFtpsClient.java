package dev.netmeta.sync;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTPSClient;

/**
 * Explicit FTPS whose protected data connections offer the control connection's TLS session for resumption. Servers
 * that require it refuse every listing and download otherwise: vsftpd by default ({@code require_ssl_reuse=YES},
 * {@code 522 SSL connection failed: session reuse required}), FileZilla Server, ProFTPD without
 * {@code TLSOptions NoSessionReuseRequired}.
 *
 * <p>JSSE keeps client sessions in the {@link SSLContext}'s cache under the peer host and port of the TLS socket, the
 * port being what the socket's {@link Socket#getPort()} reports — for a TLS socket layered over a connected one
 * ({@link javax.net.ssl.SSLSocketFactory#createSocket(Socket, String, int, boolean)}) that of the socket underneath;
 * the port argument is not used for it (checked on JDK 17 and 25). commons-net creates a data connection's TLS socket unconnected
 * and connects it to the server's passive port, so it looks for a session under the data port, finds none and
 * starts a full handshake. Here, after {@code PROT P}, the data connection is a plain {@link ControlPortSocket} —
 * connected to the passive port as before, but naming the control connection's port — and the TLS socket layered over
 * it with the control connection's host name looks up the control connection's session and offers it: a TLS 1.2
 * session id (the sync offers no TLS 1.2 tickets: {@link FtpConnector#offerNoTls12SessionTickets()}), a TLS 1.3
 * pre-shared key from the server's NewSessionTicket. No reflection into the JDK.
 *
 * <p>A server that resumes: an abbreviated handshake, under the session the control connection verified. A server
 * that does not: a full handshake, verified as the control connection is — the same trust manager and, when host
 * names are checked ({@link #setEndpointCheckingEnabled}), against the control connection's host name (commons-net's
 * own data sockets checked no host name). The data socket has the control's endpoint identification setting, and
 * JSSE does not resume a session for a socket with host-name checking unless the session was verified with it too.
 *
 * <p>Each client needs its own context (as commons-net's default): the cache holds one session per host and port, so
 * with a shared context the parallel sessions of a sync would overwrite each other's entry and a data connection
 * could offer another control connection's session, which vsftpd refuses as well.
 */
class ResumingFtpsClient extends FTPSClient {

    private final SSLContext context;
    private boolean protectedData;

    /** @param context this client's own TLS context (its client session cache holds this control connection's session) */
    ResumingFtpsClient(SSLContext context) {
        super(false, context); // explicit: AUTH TLS on the plain control connection
        this.context = context;
    }

    /**
     * {@code PROT}; for a protected level ({@code P}) the data connections are then plain {@link ControlPortSocket}s
     * that {@link #_openDataConnection_(String, String)} turns into TLS connections, instead of commons-net's TLS
     * sockets (set by {@code super.execPROT}).
     */
    @Override
    public void execPROT(String prot) throws IOException {
        super.execPROT(prot);
        protectedData = prot != null && !prot.equals("C");
        if (protectedData) {
            setSocketFactory(new DataSocketFactory(getRemotePort()));
        }
    }

    /**
     * The data connection of {@code command}, with TLS on it when the data is protected (see the class comment); its
     * socket closed when the command fails ({@link KeepAliveSocketFactory#closedOnFailure}).
     */
    @Override
    protected Socket _openDataConnection_(String command, String arg) throws IOException {
        Socket socket = KeepAliveSocketFactory.closedOnFailure(_socketFactory_,
                () -> super._openDataConnection_(command, arg));
        if (socket == null || !protectedData || socket instanceof SSLSocket) {
            return socket; // refused, PROT C, or commons-net made the TLS socket itself (a proxy)
        }
        return secure(socket);
    }

    /** TLS over the connected data socket, as the control connection's: same host name, context and checks. */
    private SSLSocket secure(Socket plain) throws IOException {
        SSLSocket tls = null;
        try {
            // _hostname_ and this port are what commons-net gave the control connection's TLS socket
            tls = (SSLSocket) context.getSocketFactory().createSocket(plain, _hostname_, getRemotePort(), true);
            tls.setUseClientMode(true);
            if (isEndpointCheckingEnabled()) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
            }
            if (getProtocols() != null) {
                tls.setEnabledProtocols(getProtocols());
            }
            if (getSuites() != null) {
                tls.setEnabledCipherSuites(getSuites());
            }
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            try {
                (tls != null ? tls : plain).close(); // the TLS socket closes the plain one (autoClose)
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** {@link ControlPortSocket}s, with the keep-alive probes of {@link KeepAliveSocketFactory}. */
    static final class DataSocketFactory extends KeepAliveSocketFactory {
        private final int controlPort;

        DataSocketFactory(int controlPort) {
            this.controlPort = controlPort;
        }

        @Override
        protected Socket newSocket() {
            return new ControlPortSocket(controlPort);
        }
    }

    /**
     * A plain TCP socket that reports the control connection's port as its remote port ({@link #getPort()}), which is
     * where JSSE looks for the session to resume (see the class comment). Only the report differs: it connects to
     * and talks with whatever address it is given (the passive port), and {@link #getRemoteSocketAddress()} and
     * {@link #toString()} still name that.
     */
    static final class ControlPortSocket extends Socket {
        private final int controlPort;

        ControlPortSocket(int controlPort) {
            this.controlPort = controlPort;
        }

        @Override
        public int getPort() {
            return isConnected() ? controlPort : 0;
        }
    }
}
