package dev.netmeta.sync;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One scripted FTP session at a time on 127.0.0.1: login, FEAT as given, SYST as UNIX, every MLSD and LIST answered
 * with the same listing lines (unless {@link #listings} has the path's own), {@code RETR} of a path in
 * {@link #contents} with its bytes and then {@link #retrReply}, any other command from {@code answers} ({@code 502} when
 * not there); the control connection dropped at the commands {@link #dropAt} names, listings cut off where
 * {@link #cutListingAt} says. Every command is recorded (PASS masked).
 */
final class ScriptedFtpServer implements AutoCloseable {
    final List<String> commands = new CopyOnWriteArrayList<>();
    /** Contents sent for {@code RETR <absolute path>} ({@code 550} for any other path). */
    final Map<String, byte[]> contents = new ConcurrentHashMap<>();
    /**
     * Listing lines for {@code MLSD <absolute path>} or {@code LIST <absolute path>} of one directory; every other
     * listing is answered with the listing given to the constructor.
     */
    final Map<String, List<String>> listings = new ConcurrentHashMap<>();
    /** The reply after a {@code RETR}'s bytes were sent: {@code 226} confirms the transfer, 426/451 report it failed. */
    volatile String retrReply = "226 done";
    /** Per listing verb ({@code MLSD}, {@code LIST}), the occurrences {@link #cutListingAt} names. */
    private final Map<String, Set<Integer>> cuts = new ConcurrentHashMap<>();
    /** Per command verb ({@code MDTM}, {@code SIZE}, {@code MLSD}…), the occurrences {@link #dropAt} names. */
    private final Map<String, Set<Integer>> drops = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    /**
     * The data connections of the listings and downloads the server dropped the session at ({@link #dropAt}), accepted
     * and kept open on this side: whether the client closed its end (a read gives -1) or left it to the garbage
     * collector. Closed with the server.
     */
    final List<Socket> droppedDataConnections = new CopyOnWriteArrayList<>();
    /** The host part of the PASV answer ({@code h1,h2,h3,h4}); the data socket itself is always on 127.0.0.1. */
    volatile String pasvHost = "127,0,0,1";
    private final ServerSocket control = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final ServerSocket data = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final String feat;
    private final List<String> listing;
    private final Map<String, String> answers;
    private final Thread thread;

    ScriptedFtpServer(String feat, List<String> listing, Map<String, String> answers) throws Exception {
        this.feat = feat;
        this.listing = listing;
        this.answers = answers;
        thread = new Thread(this::serve, "fake-ftp");
        thread.setDaemon(true);
        thread.start();
    }

    /** The remote directory {@code /d}, not recursive, LIST and MDTM without MLST read in Europe/Berlin. */
    SyncConfig config() {
        return config(Map.of());
    }

    /** {@link #config()} with some variables set or replaced ({@code SYNC_FANOUT_ENABLED}, …). */
    SyncConfig config(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(Map.of("FTP_HOST", "127.0.0.1", "FTP_PORT",
                Integer.toString(control.getLocalPort()), "FTP_USER", "u", "BUCKET", "b", "FTP_REMOTE_DIR", "/d",
                "FTP_RECURSIVE", "false", "FTP_SERVER_TIMEZONE", "Europe/Berlin", "FTP_TIMEOUT_MS", "5000"));
        env.put("SYNC_FANOUT_ENABLED", "false");
        env.put("SYNC_STATE_KEY", "");
        env.putAll(settings);
        return SyncConfig.fromEnv(env);
    }

    FtpRemoteFileSource source() {
        SyncConfig config = config();
        return new FtpRemoteFileSource(config, new FtpConnector(config, new EnvSecretSource("pw")));
    }

    int port() {
        return control.getLocalPort();
    }

    /** The port of the passive data socket (on 127.0.0.1) that every PASV answer names. */
    int dataPort() {
        return data.getLocalPort();
    }

    /**
     * Closes the control connection instead of answering the {@code nth} (1-based, counted over all sessions)
     * commands of {@code verb} — a session dropped mid-walk or mid-pass, as a flaky link or a server's idle or command
     * limit does (the data connection of a listing or a RETR is accepted first and kept in
     * {@link #droppedDataConnections}). The command is recorded as received.
     */
    ScriptedFtpServer dropAt(String verb, Integer... nth) {
        drops.computeIfAbsent(verb, v -> ConcurrentHashMap.newKeySet()).addAll(List.of(nth));
        return this;
    }

    /**
     * Sends only the first of the listing's lines and then {@code 426} instead of {@code 226} for the {@code nth}
     * (1-based, over all sessions) listings of {@code verb} — a data connection that broke mid-listing while the
     * control connection stays.
     */
    ScriptedFtpServer cutListingAt(String verb, Integer... nth) {
        cuts.computeIfAbsent(verb, v -> ConcurrentHashMap.newKeySet()).addAll(List.of(nth));
        return this;
    }

    long logins() {
        return commands.stream().filter(c -> c.startsWith("USER")).count();
    }

    private void serve() {
        while (!control.isClosed()) {
            try (Socket s = control.accept(); OutputStream out = s.getOutputStream();
                 BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                send(out, "220 ready");
                for (String line; (line = in.readLine()) != null; ) {
                    commands.add(line.startsWith("PASS") ? "PASS ****" : line);
                    String verb = line.split(" ", 2)[0];
                    if (drops.getOrDefault(verb, Set.of()).contains(
                            received.computeIfAbsent(verb, v -> new AtomicInteger()).incrementAndGet())) {
                        if (verb.equals("MLSD") || verb.equals("LIST") || verb.equals("RETR")) {
                            droppedDataConnections.add(data.accept()); // the client connected it before the command
                        }
                        break; // the session ends without an answer: the client reads the end of the stream
                    }
                    if (line.startsWith("USER")) {
                        send(out, "331 password");
                    } else if (line.startsWith("PASS")) {
                        send(out, "230 logged in");
                    } else if (line.startsWith("TYPE")) {
                        send(out, "200 type set");
                    } else if (line.equals("FEAT")) {
                        send(out, feat);
                    } else if (line.equals("SYST")) {
                        send(out, "215 UNIX Type: L8");
                    } else if (line.startsWith("PASV")) {
                        int p = data.getLocalPort();
                        send(out, "227 Entering Passive Mode (" + pasvHost + "," + (p >> 8) + "," + (p & 0xff) + ")");
                    } else if (line.startsWith("MLSD") || line.startsWith("LIST")) {
                        boolean cut = cuts.getOrDefault(verb, Set.of()).contains(received.get(verb).get());
                        try (Socket d = data.accept(); OutputStream dout = d.getOutputStream()) {
                            send(out, "150 listing");
                            int space = line.indexOf(' ');
                            List<String> lines = space < 0 ? listing
                                    : listings.getOrDefault(line.substring(space + 1), listing);
                            if (cut) {
                                lines = lines.subList(0, Math.min(1, lines.size()));
                            }
                            dout.write((String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8));
                        }
                        send(out, cut ? "426 Connection closed; transfer aborted." : "226 done");
                    } else if (line.startsWith("RETR ") && contents.containsKey(line.substring(5))) {
                        try (Socket d = data.accept(); OutputStream dout = d.getOutputStream()) {
                            send(out, "150 sending");
                            dout.write(contents.get(line.substring(5)));
                        }
                        send(out, retrReply);
                    } else if (line.startsWith("QUIT")) {
                        send(out, "221 bye");
                        break;
                    } else {
                        send(out, answers.getOrDefault(line, "502 not here"));
                    }
                }
            } catch (Exception e) {
                return; // closed; the test's assertions say what went wrong
            }
        }
    }

    private static void send(OutputStream out, String reply) throws Exception {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws Exception {
        control.close();
        data.close();
        for (Socket d : droppedDataConnections) {
            d.close();
        }
        thread.join(5_000);
    }
}
