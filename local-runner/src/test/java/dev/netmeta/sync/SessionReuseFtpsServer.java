package dev.netmeta.sync;

import dev.netmeta.local.server.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * An explicit-FTPS server on 127.0.0.1 serving the regular files of one directory ({@code FEAT}, {@code MLSD} or
 * {@code LIST}, {@code MLST}, {@code SIZE}, {@code MDTM}, {@code RETR}, passive mode), whose data connections are held
 * to the control connection's TLS session as {@link Mode} says.
 *
 * <p>{@link Mode#REQUIRE_REUSE} is vsftpd's default {@code require_ssl_reuse=YES}: a data connection whose TLS
 * handshake does not resume the control connection's session is closed and its command answered
 * {@code 522 SSL connection failed: session reuse required}. As vsftpd (one process per session) each control
 * connection has its own server {@link SSLContext}, so its session cache knows only this session; its data sockets
 * are set to {@link SSLSocket#setEnableSessionCreation(boolean) setEnableSessionCreation(false)}, with which JSSE
 * refuses any handshake that would create a new session instead of resuming one of that context. With TLS 1.2 the
 * data session's id must moreover be the control session's (a TLS 1.3 resumption gets a new id, so there the resumed
 * handshake is the proof).
 *
 * <p>{@link Mode#NO_RESUMPTION} is a server that neither requires nor allows reuse: each data connection gets a fresh
 * context (an empty session cache), so every data handshake is a full one.
 *
 * <p>{@link Mode#REFUSE_RETR}: listings as {@link Mode#REQUIRE_REUSE}, but every RETR's data connection is refused
 * after the 150 mark (a fresh context that may not create a session): a transfer that fails once the command is
 * under way, its {@code 522} reply still to be read.
 *
 * <p>{@link #sessionTimeout(int) sessionTimeout(VSFTPD_SESSION_TIMEOUT)} gives the server contexts vsftpd's session
 * timeout, {@code INT_MAX} seconds. With TLS 1.2, vsftpd's OpenSSL then answers a client that offers session tickets
 * (JSSE's default) with an empty session id and a ticket whose lifetime hint is 2147483647 s; JSSE discards it (over
 * 7 days) and later offers a session id it assigned itself, unknown to the server: no reuse, {@code 522}. A JDK server
 * cannot send such a ticket — with a timeout over 7 days it sends none ({@code Session timeout is too long. No ticket
 * sent.}) — and, as it would have resumed the session from a ticket, it does not cache it under its id either. So the
 * path differs (no ticket rather than a discarded one, the control's id rather than a made-up one is offered) but not
 * the outcome, for a client that offers tickets: it holds no usable ticket and the server cannot resume by id; one
 * that offers none gets a session the server caches under its id and resumes, as vsftpd does then. For TLS 1.3
 * there is no such model: OpenSSL caps the lifetime of its TLS 1.3 tickets at 7 days, while a JDK server with this
 * timeout sends no TLS 1.3 ticket and resumes nothing.
 */
final class SessionReuseFtpsServer implements AutoCloseable {

    enum Mode { REQUIRE_REUSE, NO_RESUMPTION, REFUSE_RETR }

    /** One data connection as the server saw it: accepted or refused (and why). */
    record DataConnection(String command, boolean accepted, String detail) {
        @Override
        public String toString() {
            return command + (accepted ? " accepted" : " refused: " + detail);
        }
    }

    static final String USER = "u";
    static final String PASSWORD = "pw-reuse";
    static final String REFUSAL = "522 SSL connection failed: session reuse required";
    /** vsftpd's session timeout when it requires reuse ({@code SSL_CTX_set_timeout(ctx, INT_MAX)}). */
    static final int VSFTPD_SESSION_TIMEOUT = Integer.MAX_VALUE;

    private static final DateTimeFormatter MDTM = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LIST_TIME =
            DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    final List<DataConnection> dataConnections = new CopyOnWriteArrayList<>();
    /** The commands received, on all sessions (PASS masked). */
    final List<String> commands = new CopyOnWriteArrayList<>();

    private final Path root;
    private final String protocol;
    private final Mode mode;
    private final boolean mlst;
    private final KeyManagerFactory controlKeys;
    private final KeyManagerFactory dataKeys;
    private final ServerSocket control = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile int sessionTimeout; // seconds; 0: the JDK's default (24 hours)
    private volatile int retrAfterLogins; // RETR waits (10 s at most) until this many sessions logged in; 0: at once

    /**
     * @param root     the directory served as {@code /}
     * @param protocol the one TLS version offered ({@code TLSv1.2} or {@code TLSv1.3})
     * @param mlst     whether FEAT names MLST (the sync then lists with MLSD, else with LIST)
     * @param data     the certificate of the data connections (normally the control's one)
     */
    SessionReuseFtpsServer(Path root, String protocol, Mode mode, boolean mlst, SelfSignedCertificate controlCert,
                           SelfSignedCertificate data) throws IOException {
        this.root = root;
        this.protocol = protocol;
        this.mode = mode;
        this.mlst = mlst;
        this.controlKeys = keys(controlCert);
        this.dataKeys = keys(data);
        acceptor = new Thread(this::accept, "reuse-ftps-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    SessionReuseFtpsServer(Path root, String protocol, Mode mode, boolean mlst, SelfSignedCertificate certificate)
            throws IOException {
        this(root, protocol, mode, mlst, certificate, certificate);
    }

    /** The sync's FTP settings for this server: explicit FTPS, the given trust store, {@code /} as remote directory. */
    Map<String, String> env(Path trustStore, String trustStorePassword) {
        return Map.of("FTP_HOST", "127.0.0.1", "FTP_PORT", Integer.toString(control.getLocalPort()), "FTP_USER", USER,
                "FTP_PASSWORD", PASSWORD, "FTP_REMOTE_DIR", "/", "FTP_TIMEOUT_MS", "20000", "FTP_TLS", "explicit",
                "FTP_TRUSTSTORE", trustStore.toString(), "FTP_TRUSTSTORE_PASSWORD", trustStorePassword);
    }

    /** As {@link #env(Path, String)}, trusting the one certificate. */
    Map<String, String> env(SelfSignedCertificate trusted) {
        return env(trusted.trustStore(), trusted.trustStorePassword());
    }

    int port() {
        return control.getLocalPort();
    }

    /** The session timeout of the server contexts (seconds; before the client connects), e.g. vsftpd's. */
    SessionReuseFtpsServer sessionTimeout(int seconds) {
        sessionTimeout = seconds;
        return this;
    }

    /**
     * Holds each RETR (10 s at most) until {@code count} sessions have logged in, so that a test of parallel sessions
     * does not depend on the other workers logging in before the first one has copied every file.
     */
    SessionReuseFtpsServer retrAfterLogins(int count) {
        retrAfterLogins = count;
        return this;
    }

    private void awaitLogins() {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (commands.stream().filter(c -> c.startsWith("USER")).count() < retrAfterLogins
                    && System.nanoTime() < giveUp) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!control.isClosed()) {
            try {
                Socket s = control.accept();
                open.add(s);
                Thread session = new Thread(() -> session(s), "reuse-ftps-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** One FTP session, as one vsftpd process: its own server context, its own passive socket. */
    private void session(Socket plain) {
        SSLContext context = context(controlKeys);
        ServerSocket passive = null;
        try {
            plain.setSoTimeout(30_000);
            Socket socket = plain;
            BufferedReader in = reader(socket);
            OutputStream out = socket.getOutputStream();
            SSLSession controlSession = null;
            send(out, "220 reuse-requiring test server");
            for (String line; (line = in.readLine()) != null; ) {
                commands.add(line.startsWith("PASS") ? "PASS ****" : line);
                String verb = (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line).toUpperCase(Locale.ROOT);
                String arg = line.contains(" ") ? line.substring(line.indexOf(' ') + 1) : null;
                switch (verb) {
                    case "AUTH" -> {
                        send(out, "234 Proceed with negotiation.");
                        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
                        tls.setUseClientMode(false);
                        tls.setEnabledProtocols(new String[] {protocol});
                        tls.startHandshake();
                        controlSession = tls.getSession();
                        socket = tls;
                        in = reader(socket);
                        out = socket.getOutputStream();
                    }
                    case "USER" -> send(out, "331 Please specify the password.");
                    case "PASS" -> send(out, PASSWORD.equals(arg) ? "230 Login successful." : "530 Login incorrect.");
                    case "PBSZ" -> send(out, "200 PBSZ set to 0.");
                    case "PROT" -> send(out, "P".equals(arg) ? "200 PROT now Private." : "536 PROT P required.");
                    case "TYPE", "OPTS", "NOOP" -> send(out, "200 OK.");
                    case "SYST" -> send(out, "215 UNIX Type: L8");
                    case "FEAT" -> send(out, "211-Features:\r\n" + (mlst ? " MLST type*;size*;modify*;\r\n" : "")
                            + " SIZE\r\n MDTM\r\n AUTH TLS\r\n PBSZ\r\n PROT\r\n PASV\r\n211 End");
                    case "PWD" -> send(out, "257 \"/\" is the current directory");
                    case "CWD" -> send(out, Files.isDirectory(file(arg)) ? "250 Directory changed." : "550 No such directory.");
                    case "PASV" -> {
                        if (passive == null) {
                            passive = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                            passive.setSoTimeout(20_000);
                        }
                        int p = passive.getLocalPort();
                        send(out, "227 Entering Passive Mode (127,0,0,1," + (p >> 8) + "," + (p & 0xff) + ").");
                    }
                    case "SIZE" -> send(out, Files.isRegularFile(file(arg)) ? "213 " + Files.size(file(arg)) : "550 No file.");
                    case "MDTM" -> send(out, Files.isRegularFile(file(arg))
                            ? "213 " + MDTM.format(Files.getLastModifiedTime(file(arg)).toInstant()) : "550 No file.");
                    case "MLST" -> send(out, Files.exists(file(arg))
                            ? "250-Listing " + arg + "\r\n " + facts(file(arg)) + " " + arg + "\r\n250 End" : "550 No file.");
                    case "MLSD", "LIST" -> {
                        Path dir = arg == null || arg.startsWith("-") ? root : file(arg);
                        if (!Files.isDirectory(dir)) {
                            send(out, "550 No such directory.");
                        } else {
                            transfer(line, out, passive, context, controlSession, listing(dir, verb.equals("MLSD")));
                        }
                    }
                    case "RETR" -> {
                        awaitLogins();
                        if (!Files.isRegularFile(file(arg))) {
                            send(out, "550 Failed to open file.");
                        } else {
                            transfer(line, out, passive, context, controlSession, Files.readAllBytes(file(arg)));
                        }
                    }
                    case "QUIT" -> {
                        send(out, "221 Goodbye.");
                        return;
                    }
                    default -> send(out, "502 Command not implemented.");
                }
            }
        } catch (IOException e) {
            // the client went away (or the test ended): nothing to answer
        } finally {
            close(plain);
            if (passive != null) {
                try {
                    passive.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /**
     * A data transfer as vsftpd does it: the mark (150) first, then the TLS handshake on the accepted connection (the
     * client starts it after reading the mark), then the data and 226 — or, without reuse, the refusal.
     */
    private void transfer(String command, OutputStream out, ServerSocket passive, SSLContext sessionContext,
                          SSLSession controlSession, byte[] payload) throws IOException {
        if (passive == null) {
            send(out, "425 Use PASV first.");
            return;
        }
        try (Socket plain = passive.accept()) {
            open.add(plain);
            plain.setSoTimeout(20_000);
            send(out, "150 Opening BINARY mode data connection.");
            boolean refuse = mode == Mode.REFUSE_RETR && command.startsWith("RETR");
            boolean require = mode == Mode.REQUIRE_REUSE || mode == Mode.REFUSE_RETR;
            SSLContext context = require && !refuse ? sessionContext : context(dataKeys); // a fresh one resumes nothing
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
            tls.setUseClientMode(false);
            tls.setEnabledProtocols(new String[] {protocol});
            tls.setEnableSessionCreation(!require);
            String refusal = null;
            try {
                tls.startHandshake();
                if (require && protocol.equals("TLSv1.2")
                        && !Arrays.equals(tls.getSession().getId(), controlSession.getId())) {
                    refusal = "TLS 1.2 session " + hex(tls.getSession()) + " is not the control's " + hex(controlSession);
                }
            } catch (IOException e) {
                refusal = e.toString();
            }
            if (refusal != null) {
                dataConnections.add(new DataConnection(command, false, refusal));
                close(tls);
                send(out, REFUSAL);
                return;
            }
            dataConnections.add(new DataConnection(command, true, tls.getSession().getProtocol()));
            try (OutputStream data = tls.getOutputStream()) {
                data.write(payload);
            }
        }
        send(out, "226 Transfer complete.");
    }

    private byte[] listing(Path dir, boolean mlsd) throws IOException {
        StringBuilder lines = new StringBuilder();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString();
                if (mlsd) {
                    lines.append(facts(p)).append(' ').append(name).append("\r\n");
                } else {
                    boolean d = Files.isDirectory(p);
                    lines.append(d ? "drwxr-xr-x" : "-rw-r--r--").append("    1 ftp      ftp      ")
                            .append(String.format("%12d ", d ? 0 : Files.size(p)))
                            .append(LIST_TIME.format(Files.getLastModifiedTime(p).toInstant())).append(' ')
                            .append(name).append("\r\n");
                }
            }
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String facts(Path p) throws IOException {
        return "type=" + (Files.isDirectory(p) ? "dir" : "file") + ";size=" + (Files.isDirectory(p) ? 0 : Files.size(p))
                + ";modify=" + MDTM.format(Files.getLastModifiedTime(p).toInstant()) + ";";
    }

    private Path file(String ftpPath) {
        if (ftpPath == null) {
            return root;
        }
        Path p = root.resolve(ftpPath.replaceFirst("^/+", "")).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("outside the root: " + ftpPath);
        }
        return p;
    }

    private static String hex(SSLSession session) {
        return HexFormat.of().formatHex(session.getId());
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static KeyManagerFactory keys(SelfSignedCertificate certificate) {
        try (InputStream in = Files.newInputStream(certificate.keyStore())) {
            char[] password = certificate.keyStorePassword().toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            return kmf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private SSLContext context(KeyManagerFactory keys) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            if (sessionTimeout > 0) {
                context.getServerSessionContext().setSessionTimeout(sessionTimeout);
            }
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws Exception {
        control.close();
        for (Socket s : open) {
            close(s);
        }
        acceptor.join(5_000);
    }
}
