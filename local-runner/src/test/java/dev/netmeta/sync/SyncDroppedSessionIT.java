package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real FTP server (MINA FtpServer) that drops the control connection in the middle of the directory walk — with a
 * {@code 421} at a directory listing (as a server with an idle or command limit does) and without a word at a
 * {@code SIZE} (a flaky link). The walk used to fail the whole run with nothing copied; it now goes on in a new
 * session from the listing or SIZE it was at. A server that drops every session before it answers anything fails the
 * run with a reason that says so, after two sessions, not in a loop; one that closes the session as soon as it has
 * accepted the login fails it saying that.
 *
 * <p>The server's MLSD leaves {@code size} out (MINA sends the facts of the session attribute {@code MLST.types}, and
 * {@code OPTS MLST} is refused), so the walk asks {@code SIZE} for every file, as it does on servers that do so.
 */
@ExtendWith(TestServers.class)
class SyncDroppedSessionIT {

    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");

    private static final List<String> FILES = List.of("top.csv.gz", "2024/01/a.csv.gz", "2024/01/b.csv.gz",
            "2024/02/c.csv.gz", "2024/02/deep/d.csv.gz", "2023/12/e.csv.gz");

    @Test
    void aWalkCutOnceDuringADirectoryListingAndOnceDuringSizeStillCopiesEveryFileInOneRun(S3Endpoint s3e,
            @TempDir Path root) throws Exception {
        for (int i = 0; i < FILES.size(); i++) {
            SyncFiles.write(root.resolve("in/" + FILES.get(i)), 4000 + i * 100, i);
        }
        // the third listing (a sub-directory: the first is /in) is answered with 421 and the session closed; the
        // second SIZE, on the new session, gets no answer at all
        Dropping ftplet = new Dropping().at("MLSD", n -> n == 3, true).at("SIZE", n -> n == 2, false);
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = new TestFtpServer(root, ftplet, null)) {
            Map<String, String> env = env(s3e, s3, ftp);

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).as("%s", summary).isEqualTo(FILES.size());
            assertThat(summary.getFailures()).isEmpty();
            assertThat(summary.getDeferred()).isZero();
            assertThat(summary.getListingSessionsDropped()).as("the summary says the walk went on after two drops")
                    .isEqualTo(2);
            for (String file : FILES) {
                assertThat(SyncFiles.sha256(s3, env.get("BUCKET"), "raw/" + file)).as(file)
                        .isEqualTo(SyncFiles.sha256(root.resolve("in/" + file)));
            }
            assertThat(ftplet.dropped).containsExactly("MLSD", "SIZE");
            assertThat(ftplet.logins()).as("the walk's three sessions (the last one copies: SYNC_CONCURRENCY=1)")
                    .isEqualTo(3);
            List<String> listings = ftplet.seen.stream().filter(c -> c.startsWith("MLSD")).toList();
            assertThat(listings).as("every directory listed once, the cut one twice: not the tree again")
                    .hasSize(listings.stream().distinct().toList().size() + 1).hasSize(7 + 1);
        }
    }

    /** A server that closes every session at its first listing, right after the login: two sessions, a clear reason. */
    @Test
    void aServerThatDropsEverySessionAtItsFirstListingFailsTheRunAfterTwoSessions(S3Endpoint s3e, @TempDir Path root)
            throws Exception {
        SyncFiles.write(root.resolve("in/a.csv.gz"), 4000, 1);
        Dropping ftplet = new Dropping().at("MLSD", n -> true, true);
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = new TestFtpServer(root, ftplet, null)) {
            Map<String, String> env = env(s3e, s3, ftp);

            assertThatThrownBy(() -> new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("Cannot list the FTP directory /in")
                    .hasMessageContaining("the FTP server dropped the directory walk's session at MLSD /in, and the new"
                            + " session opened after it had dropped at MLSD /in dropped too before it answered anything")
                    .hasMessageContaining("421");
            assertThat(ftplet.logins()).as("no third session").isEqualTo(2);
            assertThat(s3.listObjectsV2(b -> b.bucket(env.get("BUCKET")).prefix("raw/")).contents()).isEmpty();
        }
    }

    /** A server that closes the session as soon as it has accepted the login: the run's reason says so, one login. */
    @Test
    void aServerThatDropsTheSessionRightAfterTheLoginFailsTheRunSayingSo(S3Endpoint s3e, @TempDir Path root)
            throws Exception {
        SyncFiles.write(root.resolve("in/a.csv.gz"), 4000, 1);
        Dropping ftplet = new Dropping().closingAtLogin();
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = new TestFtpServer(root, ftplet, null)) {
            Map<String, String> env = env(s3e, s3, ftp);

            assertThatThrownBy(() -> new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("dropped the session right after the login of user '" + TestFtpServer.USER
                            + "': Connection closed without indication.");
            assertThat(ftplet.logins()).isEqualTo(1);
            assertThat(s3.listObjectsV2(b -> b.bucket(env.get("BUCKET")).prefix("raw/")).contents()).isEmpty();
        }
    }

    /** One session at a time: the logins counted are the walk's (its last session copies the files). */
    private static Map<String, String> env(S3Endpoint s3e, S3Client s3, TestFtpServer ftp) {
        Map<String, String> env = ftp.syncEnv("/in", s3e, s3, "it-drop-");
        env.put("SYNC_CONCURRENCY", "1");
        return env;
    }

    /**
     * Leaves {@code size} out of MLSD entries (FEAT lists it, OPTS MLST is refused), records every command and closes
     * the session at the commands {@link #at} names: after a {@code 421} reply, or without one.
     */
    private static final class Dropping extends MlsdFactsFtplet {
        final List<String> dropped = new CopyOnWriteArrayList<>();
        /** Per verb: which of its commands (1-based, over all sessions) close the session, and whether after a 421. */
        private final Map<String, IntPredicate> dropAt = new ConcurrentHashMap<>();
        private final Map<String, Boolean> with421 = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        private volatile boolean atLogin;

        Dropping() {
            super(" SIZE\n MDTM\n MLST Size;Modify*;Type*;\n UTF8", new String[] {"Modify", "Type"}, true,
                    new CopyOnWriteArrayList<>());
        }

        Dropping at(String verb, IntPredicate nth, boolean reply421) {
            dropAt.put(verb, nth);
            with421.put(verb, reply421);
            return this;
        }

        /** Closes every session as soon as its login has been accepted (after the 230). */
        Dropping closingAtLogin() {
            atLogin = true;
            return this;
        }

        long logins() {
            return seen.stream().filter(c -> c.startsWith("USER")).count();
        }

        @Override
        public FtpletResult onLogin(FtpSession session, FtpRequest request) throws FtpException, IOException {
            FtpletResult facts = super.onLogin(session, request);
            return atLogin ? FtpletResult.DISCONNECT : facts;
        }

        @Override
        public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException, IOException {
            FtpletResult answered = super.beforeCommand(session, request); // recorded; FEAT and OPTS MLST answered
            String cmd = request.getCommand().toUpperCase(Locale.ROOT);
            int nth = received.computeIfAbsent(cmd, c -> new AtomicInteger()).incrementAndGet();
            if (dropAt.containsKey(cmd) && dropAt.get(cmd).test(nth)) {
                dropped.add(cmd);
                if (with421.get(cmd)) {
                    session.write(new DefaultFtpReply(421, "Too many commands, closing control connection."));
                }
                return FtpletResult.DISCONNECT;
            }
            return answered;
        }
    }
}
