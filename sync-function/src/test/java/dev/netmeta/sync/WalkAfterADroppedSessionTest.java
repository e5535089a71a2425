package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.commons.net.MalformedServerReplyException;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The directory walk after a dropped session, without a server: sessions that answer MLSD and SIZE from a tree in
 * memory and fail where a test says. The walk keeps its place across sessions — a new one goes on with the listing or
 * SIZE the dropped one was at, keeping the files found, the directories queued, the loop checks' digests and the counts
 * — instead of failing the run (a large tree over a flaky link, or a server with an idle or command limit, failed every
 * scheduled run with nothing copied). The first drop always gets a new session, a later one only after an answer since
 * the drop before; a server that drops the new session before it answers anything fails the walk, naming both. The
 * last test runs the whole sync on {@link ScriptedFtpServer}: what the summary and the log say of the drops.
 */
@Timeout(60)
class WalkAfterADroppedSessionTest {

    private static final String OLD = "modify=20240101120000";
    private static final Instant OLD_TIME = Instant.parse("2024-01-01T12:00:00Z");
    /** commons-net's words for the two ways a server closes a session. */
    private static final String CLOSED_421 = "FTP response 421 received.  Server closed connection.";
    private static final String CLOSED = "Connection closed without indication.";

    /**
     * {@code /in}: {@code top.csv.gz}, {@code a1/} (three files without a size: SIZE each), {@code a2/} ({@code g.csv.gz}
     * and {@code b/h.csv.gz}), {@code a3/k.csv.gz}; directories of the same time, so walked in the order found:
     * /in, a1, a2, a3, a2/b.
     */
    private final Tree tree = sample();

    private static Tree sample() {
        return new Tree()
                .dir("/in", "type=file;size=4;" + OLD + "; top.csv.gz", "type=dir;" + OLD + "; a1",
                        "type=dir;" + OLD + "; a2", "type=dir;" + OLD + "; a3", "type=file;size=4;" + OLD + "; notes.txt")
                .dir("/in/a1", "type=file;" + OLD + "; f1.csv.gz", "type=file;" + OLD + "; f2.csv.gz",
                        "type=file;" + OLD + "; f3.csv.gz")
                .dir("/in/a2", "type=file;size=4;" + OLD + "; g.csv.gz", "type=dir;" + OLD + "; b")
                .dir("/in/a2/b", "type=file;size=4;" + OLD + "; h.csv.gz")
                .dir("/in/a3", "type=file;size=4;" + OLD + "; k.csv.gz");
    }

    private static final List<String> ALL = List.of("top.csv.gz", "a1/f1.csv.gz", "a1/f2.csv.gz", "a1/f3.csv.gz",
            "a2/g.csv.gz", "a3/k.csv.gz", "a2/b/h.csv.gz");

    @Test
    void aSessionDroppedDuringADirectoryListingIsFollowedByOneThatListsThatDirectoryAndGoesOn() throws Exception {
        tree.fail("MLSD /in/a2", new FTPConnectionClosedException(CLOSED_421));

        RemoteListing listing = walk(() -> true);

        assertThat(tree.sent).containsExactly("1 MLSD /in", "1 MLSD /in/a1", "1 SIZE /in/a1/f1.csv.gz",
                "1 SIZE /in/a1/f2.csv.gz", "1 SIZE /in/a1/f3.csv.gz", "1 MLSD /in/a2",
                "2 MLSD /in/a2", "2 MLSD /in/a3", "2 MLSD /in/a2/b");
        assertEveryFileFound(listing);
        assertThat(listing.notMatching()).as("counted once, before the drop").isEqualTo(1);
        assertThat(listing.drops().count()).isEqualTo(1);
        assertThat(listing.drops().named()).containsExactly("MLSD /in/a2: FTPConnectionClosedException: " + CLOSED_421);
        assertThat(tree.kept).as("the session the walk ended on, for the MDTM pass and the transfers")
                .containsExactly(tree.sessions.get(1));
        assertThat(tree.sessions.get(0).isConnected()).as("the dropped one is let go").isFalse();
    }

    @Test
    void aSessionDroppedAtASizeIsFollowedByOneThatAsksThatSizeAndNotTheOnesAnswered() throws Exception {
        tree.fail("SIZE /in/a1/f2.csv.gz", new FTPConnectionClosedException(CLOSED));

        RemoteListing listing = walk(() -> true);

        assertThat(tree.sent).containsExactly("1 MLSD /in", "1 MLSD /in/a1", "1 SIZE /in/a1/f1.csv.gz",
                "1 SIZE /in/a1/f2.csv.gz",
                "2 SIZE /in/a1/f2.csv.gz", "2 SIZE /in/a1/f3.csv.gz", "2 MLSD /in/a2", "2 MLSD /in/a3", "2 MLSD /in/a2/b");
        assertEveryFileFound(listing);
        assertThat(listing.drops().named()).containsExactly("SIZE /in/a1/f2.csv.gz: FTPConnectionClosedException: " + CLOSED);
    }

    /** Each drop after an answer gets a new session: a server with a command limit is walked in as many as it needs. */
    @Test
    void everyDropAfterProgressGetsANewSession() throws Exception {
        tree.fail("MLSD /in/a1", new FTPConnectionClosedException(CLOSED_421));
        tree.fail("SIZE /in/a1/f3.csv.gz", new java.net.SocketException("Connection reset"));
        tree.fail("MLSD /in/a2/b", new java.net.SocketTimeoutException("Read timed out"));

        RemoteListing listing = walk(() -> true);

        assertThat(tree.sessions).hasSize(4);
        assertEveryFileFound(listing);
        assertThat(tree.sent).as("each listing and SIZE answered once, the three cut ones asked again")
                .filteredOn(c -> c.startsWith("4 ")).containsExactly("4 MLSD /in/a2/b");
        assertThat(tree.sent).as("8 round trips, 3 of them twice").hasSize(8 + 3);
        assertThat(listing.drops().count()).isEqualTo(3);
        assertThat(listing.drops().named()).containsExactly(
                "MLSD /in/a1: FTPConnectionClosedException: " + CLOSED_421,
                "SIZE /in/a1/f3.csv.gz: SocketException: Connection reset",
                "MLSD /in/a2/b: SocketTimeoutException: Read timed out");
    }

    @Test
    void aSecondDropBeforeTheNewSessionAnsweredAnythingFailsTheWalkNamingBoth() throws Exception {
        tree.fail("MLSD /in/a2", new FTPConnectionClosedException(CLOSED_421));
        tree.fail("MLSD /in/a2", new FTPConnectionClosedException(CLOSED_421));

        assertThatThrownBy(() -> walk(() -> true)).isInstanceOf(IOException.class)
                .hasMessageContaining("dropped the directory walk's session at MLSD /in/a2, and the new session opened"
                        + " after it had dropped at MLSD /in/a2 dropped too before it answered anything")
                .hasMessageContaining("2 sessions dropped in this walk")
                .hasRootCauseInstanceOf(FTPConnectionClosedException.class);
        assertThat(tree.sessions).as("no third session").hasSize(2);
        assertThat(tree.sessions).noneMatch(FTPClient::isConnected);
        assertThat(tree.kept).isEmpty();
    }

    /** A server that closes every session at its first command after the login: two sessions, then a clear failure. */
    @Test
    void aServerThatDropsEverySessionBeforeItsFirstAnswerIsNotAskedWithoutEnd() throws Exception {
        tree.fail("MLSD /in", new FTPConnectionClosedException(CLOSED));
        tree.fail("MLSD /in", new FTPConnectionClosedException(CLOSED));
        tree.fail("MLSD /in", new FTPConnectionClosedException(CLOSED));

        assertThatThrownBy(() -> walk(() -> true)).isInstanceOf(IOException.class)
                .hasMessageContaining("at MLSD /in, and the new session opened after it had dropped at MLSD /in");
        assertThat(tree.sent).containsExactly("1 MLSD /in", "2 MLSD /in");
    }

    @Test
    void aFailureThatIsNoDropFailsTheWalkAsBeforeWithoutANewSession() {
        tree.answerSize("/in/a1/f2.csv.gz", "two");
        assertThatThrownBy(() -> walk(() -> true)).isInstanceOf(IOException.class)
                .hasMessage("FTP server answered SIZE of '/in/a1/f2.csv.gz' with 'two'");
        assertThat(tree.sessions).hasSize(1);

        Tree garbled = new Tree().dir("/in", "type=file;size=4;" + OLD + "; top.csv.gz");
        garbled.fail("MLSD /in", new MalformedServerReplyException("Could not parse response code."));
        assertThatThrownBy(() -> walk(garbled, () -> true)).isInstanceOf(MalformedServerReplyException.class);
        assertThat(garbled.sessions).hasSize(1);
    }

    @Test
    void aNewSessionTheServerRefusesFailsTheWalkNamingTheDropAndTheRefusal() {
        tree.fail("MLSD /in/a2", new FTPConnectionClosedException(CLOSED_421));
        tree.refuseSession(2, new SyncException("FTP login failed for user 'u' on h:21: 530 Login incorrect. (check"
                + " the user and the password parameter)", null));

        assertThatThrownBy(() -> walk(() -> true)).isInstanceOf(SyncException.class)
                .hasMessage("the FTP server dropped the directory walk's session at MLSD /in/a2 (" + CLOSED_421
                        + "), and a new session failed: FTP login failed for user 'u' on h:21: 530 Login incorrect."
                        + " (check the user and the password parameter)");
    }

    /**
     * The clock is asked before a new session: when it says stop, the walk ends where it was, as when the clock stops
     * it between round trips — the directory whose listing never came and those queued are not walked, the files of
     * the directory it was in without a size are not sized, what it found counts.
     */
    @Test
    void whenTheClockSaysStopBeforeTheNewSessionTheWalkEndsWhereItWas() throws Exception {
        tree.fail("SIZE /in/a1/f2.csv.gz", new FTPConnectionClosedException(CLOSED));

        RemoteListing listing = walk(() -> tree.sessions.size() == 1 && !tree.dropped);

        assertThat(tree.sessions).hasSize(1);
        assertThat(listing.files()).extracting(RemoteFile::path).containsExactly("top.csv.gz", "a1/f1.csv.gz");
        assertThat(listing.notSized()).as("f2, whose SIZE never came, and f3").isEqualTo(2);
        assertThat(listing.notWalked()).containsExactly("a2/", "a3/");
        assertThat(listing.drops().count()).isEqualTo(1);
        assertThat(tree.kept).isEmpty();

        Tree listingCut = sample().fail("MLSD /in/a2", new FTPConnectionClosedException(CLOSED));
        RemoteListing cut = walk(listingCut, () -> !listingCut.dropped);
        assertThat(cut.notWalked()).as("a2 first: its listing never came").containsExactly("a2/", "a3/");
        assertThat(cut.files()).extracting(RemoteFile::path)
                .containsExactly("top.csv.gz", "a1/f1.csv.gz", "a1/f2.csv.gz", "a1/f3.csv.gz");
    }

    @Test
    void withoutTimeForANewSessionBeforeTheTopDirectoryIsListedTheWalkFails() {
        tree.fail("MLSD /in", new FTPConnectionClosedException(CLOSED));

        assertThatThrownBy(() -> walk(() -> !tree.dropped)).isInstanceOf(IOException.class)
                .hasMessage("the FTP server dropped the directory walk's session at MLSD /in, before the top directory"
                        + " was listed, and no time is left for a new session");
        assertThat(tree.sessions).hasSize(1);
    }

    /** The one more listing that tells a symbolic-link loop from a real chain is made again on the new session. */
    @Test
    void aSessionDroppedAtTheLoopCheckIsFollowedByOneThatMakesIt() throws Exception {
        String[] top = {"type=file;size=4;" + OLD + "; top.csv.gz", "type=dir;" + OLD + "; self"};
        Tree loop = new Tree().dir("/in", top).dir("/in/self", top).dir("/in/self/self", top);
        loop.fail("MLSD /in/self/self", new FTPConnectionClosedException(CLOSED_421));

        RemoteListing listing = walk(loop, () -> true);

        assertThat(loop.sent).containsExactly("1 MLSD /in", "1 MLSD /in/self", "1 MLSD /in/self/self",
                "2 MLSD /in/self/self");
        assertThat(listing.files()).extracting(RemoteFile::path).containsExactly("top.csv.gz");
        assertThat(listing.skippedDirectories()).singleElement()
                .satisfies(d -> assertThat(d.getFile()).isEqualTo("self/"));
        assertThat(listing.drops().named()).containsExactly("MLSD /in/self/self (the level that tells a symbolic-link"
                + " loop): FTPConnectionClosedException: " + CLOSED_421);
    }

    /**
     * A directory with glob characters is entered with CWD and listed without an argument ({@link FtpGlobs}): a drop
     * there names those commands — the server was never sent an {@code MLSD /in/br[1]} — and the new session enters
     * it again before it lists it.
     */
    @Test
    void aSessionDroppedInADirectoryWithGlobCharactersNamesTheCwdAndTheListingWithoutAnArgument() throws Exception {
        Tree globs = new Tree().dir("/in", "type=dir;" + OLD + "; br[1]", "type=dir;" + OLD + "; x?y")
                .dir("/in/br[1]", "type=file;size=4;" + OLD + "; a.csv.gz")
                .dir("/in/x?y", "type=file;size=4;" + OLD + "; b.csv.gz");
        globs.fail("MLSD", new FTPConnectionClosedException(CLOSED_421)); // br[1]'s listing, after its CWD
        globs.fail("CWD /in/x?y", new java.net.SocketException("Connection reset"));

        RemoteListing listing = walk(globs, () -> true);

        assertThat(globs.sent).containsExactly("1 MLSD /in", "1 CWD /in/br[1]", "1 MLSD",
                "2 CWD /in/br[1]", "2 MLSD", "2 CWD /in/x?y",
                "3 CWD /in/x?y", "3 MLSD");
        assertThat(listing.files()).extracting(RemoteFile::path).containsExactly("br[1]/a.csv.gz", "x?y/b.csv.gz");
        assertThat(listing.drops().named()).containsExactly(
                "MLSD after CWD /in/br[1]: FTPConnectionClosedException: " + CLOSED_421,
                "CWD /in/x?y: SocketException: Connection reset");
    }

    @Test
    void aRunWhoseWalkIsCutAtASizeAndAtAListingCopiesEveryFileAndItsSummaryCountsTheDrops() throws Exception {
        String feat = "211-Features:\r\n SIZE\r\n MDTM\r\n MLST size*;type*;modify*;\r\n211 End";
        Map<String, String> answers = new HashMap<>();
        answers.put("SIZE /d/top.csv.gz", "213 4");
        for (String path : List.of("/d/top.csv.gz", "/d/a/x.csv.gz")) {
            answers.put("MLST " + path, "250-Listing\r\n type=file;size=4;" + OLD + "; "
                    + path.substring(path.lastIndexOf('/') + 1) + "\r\n250 End");
        }
        try (ScriptedFtpServer server = new ScriptedFtpServer(feat, List.of(), answers)) {
            server.listings.put("/d", List.of("type=file;" + OLD + "; top.csv.gz", "type=dir;" + OLD + "; a"));
            server.listings.put("/d/a", List.of("type=file;size=4;" + OLD + "; x.csv.gz"));
            server.contents.put("/d/top.csv.gz", new byte[] {1, 2, 3, 4});
            server.contents.put("/d/a/x.csv.gz", new byte[] {5, 6, 7, 8});
            server.dropAt("SIZE", 1).dropAt("MLSD", 2); // the first session after listing /d, the second after a SIZE
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            Redactor redactor = new Redactor(new EnvSecretSource("pw"));
            SyncConfig config = server.config(Map.of("FTP_RECURSIVE", "true", "SYNC_CONCURRENCY", "1"));
            List<String> uploaded = new ArrayList<>();
            EmptyBucketStore store = (key, data, expectedSize, partSize, keepGoing) -> {
                uploaded.add(key);
                return data.readAllBytes().length;
            };
            SyncService service = new SyncService(config, new FtpRemoteFileSource(config, new FtpConnector(config,
                    new EnvSecretSource("pw"))), store, null, redactor,
                    new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8), redactor),
                    Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC), ThroughputStore.NONE);

            SyncSummary s = service.runScheduled(() -> 900_000);

            assertThat(server.commands).filteredOn(c -> c.startsWith("MLSD") || c.startsWith("SIZE"))
                    .as("each cut round trip asked once more, nothing else again")
                    .containsExactly("MLSD /d", "SIZE /d/top.csv.gz", "SIZE /d/top.csv.gz", "MLSD /d/a", "MLSD /d/a");
            assertThat(server.logins()).as("the walk's three sessions; the last one also copies").isEqualTo(3);
            assertThat(uploaded).containsExactlyInAnyOrder("raw/top.csv.gz", "raw/a/x.csv.gz");
            assertThat(s.getCopied()).isEqualTo(2);
            assertThat(s.getFailures()).isEmpty();
            assertThat(s.getDeferred()).isZero();
            assertThat(s.getListingSessionsDropped()).isEqualTo(2);
            List<String> lines = logs.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).filteredOn(l -> l.contains("directory walk went on")).singleElement().asString()
                    .contains("\"level\":\"WARN\"", "\"dropped\":2",
                            "SIZE /d/top.csv.gz: FTPConnectionClosedException: " + CLOSED,
                            "MLSD /d/a: FTPConnectionClosedException: " + CLOSED);
            assertThat(lines).filteredOn(l -> l.contains("sync summary")).singleElement().asString()
                    .contains("\"listingSessionsDropped\":2");
        }
    }

    private static void assertEveryFileFound(RemoteListing listing) {
        assertThat(listing.files()).containsExactlyElementsOf(ALL.stream()
                .map(p -> new RemoteFile(p, 4, OLD_TIME)).toList());
        assertThat(listing.notWalked()).isEmpty();
        assertThat(listing.notSized()).isZero();
        assertThat(listing.unreadable()).isEmpty();
    }

    private RemoteListing walk(BooleanSupplier keepGoing) throws IOException {
        return walk(tree, keepGoing);
    }

    private static RemoteListing walk(Tree tree, BooleanSupplier keepGoing) throws IOException {
        SyncConfig config = SyncConfig.fromEnv(Map.of("FTP_HOST", "h", "FTP_USER", "u", "BUCKET", "b",
                "FTP_REMOTE_DIR", "/in", "FTP_PATTERNS", "*.csv.gz"));
        return new DirectoryWalk(config, new PathPatterns(config.patterns()), keepGoing).walk(tree::open, tree.kept::add);
    }

    /**
     * Directories as MLSD lines; SIZE answers 4 unless told otherwise; a command fails with the exceptions queued for
     * it, one each time it is sent. Every command is recorded with the number of its session.
     */
    private static final class Tree {
        final Map<String, List<String>> dirs = new HashMap<>();
        final Map<String, Deque<IOException>> failures = new HashMap<>();
        final Map<String, String> sizes = new HashMap<>();
        final Map<Integer, RuntimeException> refused = new HashMap<>();
        final List<String> sent = new ArrayList<>();
        final List<Session> sessions = new ArrayList<>();
        final List<FTPClient> kept = new ArrayList<>();
        /** Whether a session has dropped yet (a clock can stop there). */
        boolean dropped;

        Tree dir(String path, String... lines) {
            dirs.put(path, List.of(lines));
            return this;
        }

        Tree fail(String command, IOException e) {
            failures.computeIfAbsent(command, c -> new ArrayDeque<>()).add(e);
            return this;
        }

        void answerSize(String path, String answer) {
            sizes.put(path, answer);
        }

        void refuseSession(int n, RuntimeException e) {
            refused.put(n, e);
        }

        FTPClient open() {
            RuntimeException refusal = refused.get(sessions.size() + 1);
            if (refusal != null) {
                throw refusal;
            }
            Session s = new Session(this, sessions.size() + 1);
            sessions.add(s);
            return s;
        }

        void send(Session session, String command) throws IOException {
            assertThat(session.isConnected()).as("a dropped session is not used again").isTrue();
            sent.add(session.n + " " + command);
            Deque<IOException> queued = failures.get(command);
            if (queued != null && !queued.isEmpty()) {
                dropped = true;
                throw queued.poll();
            }
        }
    }

    /** One session of a {@link Tree}: FEAT with MLST and SIZE, MLSD and SIZE answered from the tree. */
    private static final class Session extends FTPClient {
        private final Tree tree;
        final int n;
        private boolean connected = true;
        private int reply = 230;
        private String cwd = "/";

        Session(Tree tree, int n) {
            this.tree = tree;
            this.n = n;
        }

        @Override
        public boolean hasFeature(String feature) {
            return feature.equals("MLST") || feature.equals("SIZE");
        }

        @Override
        public boolean changeWorkingDirectory(String path) throws IOException {
            tree.send(this, "CWD " + path);
            boolean entered = tree.dirs.containsKey(path);
            reply = entered ? 250 : 550;
            cwd = entered ? path : cwd;
            return entered;
        }

        /** MLSD without an argument: the directory entered with CWD. */
        @Override
        public FTPFile[] mlistDir() throws IOException {
            return list("MLSD", cwd);
        }

        @Override
        public FTPFile[] mlistDir(String path) throws IOException {
            return list("MLSD " + path, path);
        }

        private FTPFile[] list(String command, String path) throws IOException {
            tree.send(this, command);
            List<String> lines = tree.dirs.get(path);
            reply = lines == null ? 550 : 226;
            return lines == null ? new FTPFile[0] : lines.stream().map(MlsdEntries.PARSER::parseFTPEntry)
                    .toArray(FTPFile[]::new);
        }

        @Override
        public String getSize(String path) throws IOException {
            tree.send(this, "SIZE " + path);
            reply = 213;
            return tree.sizes.getOrDefault(path, "4");
        }

        @Override
        public int getReplyCode() {
            return reply;
        }

        @Override
        public String getReplyString() {
            return reply + " scripted";
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public void disconnect() {
            connected = false;
        }
    }
}
