package dev.netmeta.sync;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;

/**
 * Sockets with TCP keep-alive probes after {@value #IDLE_SECONDS} s of silence (Linux: {@code TCP_KEEPIDLE},
 * {@code TCP_KEEPINTVL}), for the FTP control connection and the data connections (FTPS ones through
 * {@link ResumingFtpsClient.DataSocketFactory} — they are never idle long anyway).
 *
 * <p>The control connection is silent for the whole of a transfer. NAT gateways and Lambda's VPC network interfaces
 * drop a TCP flow after 350 s without a packet; the kernel's default first keep-alive probe comes after 2 hours. A
 * transfer longer than 350 s would then never get the server's "226 Transfer complete" and fail on every attempt.
 * Probes every minute keep such mappings alive. (commons-net's own control keep-alive sends NOOPs only inside its
 * {@code retrieveFile}, not while the caller reads {@code retrieveFileStream}, which the sync does.)
 */
class KeepAliveSocketFactory extends SocketFactory {

    static final int IDLE_SECONDS = 60;
    static final int INTERVAL_SECONDS = 30;

    /** The socket {@link #createSocket()} made last, for {@link #closedOnFailure}; one client uses a factory at a time. */
    private Socket created;

    /** An unconnected socket with the keep-alive settings; commons-net connects it. */
    @Override
    public final Socket createSocket() throws IOException {
        Socket socket = newSocket();
        created = socket;
        return configure(socket);
    }

    /**
     * commons-net's opening of a data connection ({@code _openDataConnection_}), closing the socket it connected when
     * it then fails. In passive mode it connects the data socket first and sends the command (MLSD, LIST, RETR) after;
     * when the server drops the session at that command ({@code 421}, the end of the control stream, a reset), the
     * exception leaves the connected socket unreferenced and open until the garbage collector finds it — one socket, a
     * file descriptor and the server's passive slot per drop, on a walk that goes on in a new session after each one.
     * {@code factory} is the client's socket factory; one of another kind is not tracked (nothing to close).
     */
    static Socket closedOnFailure(SocketFactory factory, MlsdEntries.DataConnection open) throws IOException {
        KeepAliveSocketFactory tracked = factory instanceof KeepAliveSocketFactory k ? k : null;
        if (tracked != null) {
            tracked.created = null; // the control connection's, or an earlier data connection's
        }
        try {
            return open.open();
        } catch (IOException | RuntimeException e) {
            Socket socket = tracked == null ? null : tracked.created;
            if (socket != null) {
                try {
                    socket.close(); // closing one commons-net closed already does nothing
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        } finally {
            if (tracked != null) {
                tracked.created = null;
            }
        }
    }

    /** The plain socket to configure: a {@link Socket} here, another kind in a subclass. */
    protected Socket newSocket() {
        return new Socket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = createSocket();
        try {
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    static Socket configure(Socket socket) throws IOException {
        socket.setKeepAlive(true);
        set(socket, ExtendedSocketOptions.TCP_KEEPIDLE, IDLE_SECONDS);
        set(socket, ExtendedSocketOptions.TCP_KEEPINTERVAL, INTERVAL_SECONDS);
        return socket;
    }

    private static void set(Socket socket, SocketOption<Integer> option, int value) throws IOException {
        if (socket.supportedOptions().contains(option)) { // Linux (Lambda) and macOS; not every platform
            socket.setOption(option, value);
        }
    }
}
